/// One value put into a config at a key path before it is read: a
/// command-line `--set model.width=64`, or one coordinate of a sweep point.
/// Paths are dotted keys with list indices, as errors print them
/// (`model.layers[2].units`); missing mapping keys are created.
public struct ConfigOverride: Sendable {
    public let keyPath: String
    public let value: ConfigNode

    enum Step: Equatable {
        case key(String)
        case index(Int)
    }

    let steps: [Step]

    /// `value`'s location is kept, so errors about it point where it was written.
    public init(keyPath: String, value: ConfigNode, origin: SourceLocation) throws {
        self.keyPath = keyPath
        steps = try Self.steps(of: keyPath, origin: origin)
        self.value = value
    }

    static func steps(of keyPath: String, origin: SourceLocation) throws -> [Step] {
        var steps: [Step] = []
        for part in keyPath.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            let key = rest.prefix { $0 != "[" }
            guard !key.isEmpty else { throw Self.malformed(keyPath, origin) }
            steps.append(.key(String(key)))
            rest = rest.dropFirst(key.count)
            while rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]"), let index = Int(rest[rest.index(after: rest.startIndex)..<close]), index >= 0
                else { throw Self.malformed(keyPath, origin) }
                steps.append(.index(index))
                rest = rest[rest.index(after: close)...]
            }
            guard rest.isEmpty else { throw Self.malformed(keyPath, origin) }
        }
        return steps
    }

    static func malformed(_ keyPath: String, _ origin: SourceLocation) -> ConfigError {
        ConfigError(location: origin, keyPath: keyPath, message: "not a key path",
                    allowed: "dotted keys with list indices, as model.layers[2].units")
    }

    /// Puts the value into `root`, replacing what was there.
    public func apply(to root: inout ConfigNode) throws {
        try Self.put(value, at: steps[...], into: &root)
    }

    private static func put(_ value: ConfigNode, at steps: ArraySlice<Step>, into node: inout ConfigNode) throws {
        guard let step = steps.first else {
            node = value.rekeyed(node.keyPath)
            return
        }
        switch (step, node.content) {
        case (.key(let key), .mapping(var entries)):
            if let position = entries.firstIndex(where: { $0.key == key }) {
                try put(value, at: steps.dropFirst(), into: &entries[position].value)
            } else {
                var child = ConfigNode(.mapping([]), location: value.location, keyPath: ConfigNode.join(node.keyPath, key))
                try put(value, at: steps.dropFirst(), into: &child)
                entries.append((key: key, value: child))
            }
            node.content = .mapping(entries)
        case (.key, .null):
            node.content = .mapping([])
            try put(value, at: steps, into: &node)
        case (.index(let index), .sequence(var items)):
            guard index < items.count else {
                throw node.error("has \(items.count) items, so no [\(index)]", allowed: "indices 0 to \(items.count - 1)")
            }
            try put(value, at: steps.dropFirst(), into: &items[index])
            node.content = .sequence(items)
        case (.key(let key), _):
            throw node.error("is \(node.summary), so it has no key '\(key)'")
        case (.index(let index), _):
            throw node.error("is \(node.summary), not a list, so it has no [\(index)]")
        }
    }
}
