/// The values a numeric parameter accepts, with a description for errors.
public struct ParameterRange: Sendable {
    public var lower: Double?
    public var lowerInclusive: Bool
    public var upper: Double?
    public var upperInclusive: Bool

    public init(lower: Double?, lowerInclusive: Bool = true, upper: Double?, upperInclusive: Bool = true) {
        self.lower = lower
        self.lowerInclusive = lowerInclusive
        self.upper = upper
        self.upperInclusive = upperInclusive
    }

    public static let positive = ParameterRange(lower: 0, lowerInclusive: false, upper: nil)
    public static let nonNegative = ParameterRange(lower: 0, upper: nil)
    public static let unitInterval = ParameterRange(lower: 0, upper: 1)
    /// [0, 1): a probability or decay that must leave something behind.
    public static let unitIntervalOpenAbove = ParameterRange(lower: 0, upper: 1, upperInclusive: false)
    public static func atLeast(_ value: Double) -> ParameterRange { ParameterRange(lower: value, upper: nil) }
    public static func closed(_ low: Double, _ high: Double) -> ParameterRange { ParameterRange(lower: low, upper: high) }

    public func contains(_ value: Double) -> Bool {
        if let lower, lowerInclusive ? value < lower : value <= lower { return false }
        if let upper, upperInclusive ? value > upper : value >= upper { return false }
        return true
    }

    public var description: String {
        switch (lower, upper) {
        case (nil, nil): return "any number"
        case (let low?, nil): return lowerInclusive ? ">= \(Self.format(low))" : "> \(Self.format(low))"
        case (nil, let high?): return upperInclusive ? "<= \(Self.format(high))" : "< \(Self.format(high))"
        case (let low?, let high?):
            return "\(lowerInclusive ? "[" : "(")\(Self.format(low)), \(Self.format(high))\(upperInclusive ? "]" : ")")"
        }
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
