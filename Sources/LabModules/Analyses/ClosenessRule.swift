import LabCore

/// When an iterate counts as "at" a training point: within `tolerance` of it
/// in absolute L2 distance, or (relative) within `tolerance` times that
/// point's distance to its nearest other training point.
public struct ClosenessRule: Sendable {
    public enum Mode: String, CaseIterable, Sendable { case absolute, relative }

    public var mode: Mode
    public var tolerance: Double

    public init(mode: Mode, tolerance: Double) {
        self.mode = mode
        self.tolerance = tolerance
    }

    /// The largest distance to point `index` that still counts as at it.
    public func threshold(forPoint index: Int, separations: [Double]) -> Double {
        mode == .absolute ? tolerance : tolerance * separations[index]
    }

    /// Reads `<prefix>_mode` and `<prefix>_tolerance` from a config.
    public static func read(_ config: ConfigReader, prefix: String, defaultMode: Mode, defaultTolerance: Double) throws -> ClosenessRule {
        let mode = Mode(rawValue: try config.string("\(prefix)_mode", default: defaultMode.rawValue, allowed: Mode.allCases.map(\.rawValue)))!
        return ClosenessRule(mode: mode, tolerance: try config.double("\(prefix)_tolerance", default: defaultTolerance, range: .positive))
    }
}
