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

    /// The first key path at which two values differ, for "this run directory
    /// holds a different experiment" messages.
    public func firstDifference(from other: ConfigValue, at path: String = "") -> String? {
        switch (self, other) {
        case (.map(let mine), .map(let theirs)):
            let keys = mine.map(\.key) + theirs.map(\.key).filter { key in !mine.contains { $0.key == key } }
            for key in keys {
                let childPath = ConfigNode.join(path, key)
                guard let a = mine.first(where: { $0.key == key })?.value,
                      let b = theirs.first(where: { $0.key == key })?.value else { return childPath }
                if let difference = a.firstDifference(from: b, at: childPath) { return difference }
            }
            return nil
        case (.list(let mine), .list(let theirs)):
            guard mine.count == theirs.count else { return path }
            for (index, pair) in zip(mine, theirs).enumerated() {
                if let difference = pair.0.firstDifference(from: pair.1, at: "\(path)[\(index)]") { return difference }
            }
            return nil
        default:
            return self == other ? nil : (path.isEmpty ? "(root)" : path)
        }
    }
}
