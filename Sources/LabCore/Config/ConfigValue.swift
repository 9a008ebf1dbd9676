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
