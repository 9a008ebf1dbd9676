/// A resolved config value: what a module actually used, defaults included.
/// The runner writes these back as the run's `config.yaml`.
public indirect enum ConfigValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case list([ConfigValue])
    case map([Entry])

    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: ConfigValue

        public init(_ key: String, _ value: ConfigValue) {
            self.key = key
            self.value = value
        }
    }

    public var intValue: Int? { if case .int(let value) = self { return value } else { return nil } }
    public var doubleValue: Double? {
        switch self {
        case .double(let value): return value
        case .int(let value): return Double(value)
        default: return nil
        }
    }
    public var boolValue: Bool? { if case .bool(let value) = self { return value } else { return nil } }
    public var stringValue: String? { if case .string(let value) = self { return value } else { return nil } }
    public var intListValue: [Int]? { if case .list(let items) = self { return items.compactMap(\.intValue) } else { return nil } }
    public var doubleListValue: [Double]? { if case .list(let items) = self { return items.compactMap(\.doubleValue) } else { return nil } }

    /// The value at a dotted key path (`training.epochs`), if there is one.
    public func value(at keyPath: String) -> ConfigValue? {
        var current = self
        for key in keyPath.split(separator: ".") {
            guard case .map(let entries) = current,
                  let next = entries.first(where: { $0.key == key }) else { return nil }
            current = next.value
        }
        return current
    }
}
