/// A parsed config value that remembers where it was written and its key path,
/// so every error can point at the line. Independent of the YAML library: the
/// runner translates YAML into this, and modules (plugins too) read only this.
public struct ConfigNode: Sendable {
    public enum Content: Sendable {
        case null
        case scalar(String)
        case sequence([ConfigNode])
        case mapping([(key: String, value: ConfigNode)])
    }

    public var content: Content
    public var location: SourceLocation
    /// Dotted path from the document root, as `model.layers[2].units`.
    public var keyPath: String

    public init(_ content: Content, location: SourceLocation, keyPath: String) {
        self.content = content
        self.location = location
        self.keyPath = keyPath
    }

    /// A node made in code rather than read from a file (defaults, command-line values).
    public static func synthesized(_ value: ConfigValue, keyPath: String, origin: String = "default") -> ConfigNode {
        let location = SourceLocation(file: origin, line: 0, column: 0)
        switch value {
        case .string(let text): return ConfigNode(.scalar(text), location: location, keyPath: keyPath)
        case .int(let number): return ConfigNode(.scalar(String(number)), location: location, keyPath: keyPath)
        case .double(let number): return ConfigNode(.scalar(String(number)), location: location, keyPath: keyPath)
        case .bool(let flag): return ConfigNode(.scalar(flag ? "true" : "false"), location: location, keyPath: keyPath)
        case .list(let items):
            return ConfigNode(.sequence(items.enumerated().map {
                synthesized($0.element, keyPath: "\(keyPath)[\($0.offset)]", origin: origin)
            }), location: location, keyPath: keyPath)
        case .map(let entries):
            return ConfigNode(.mapping(entries.map {
                (key: $0.key, value: synthesized($0.value, keyPath: ConfigNode.join(keyPath, $0.key), origin: origin))
            }), location: location, keyPath: keyPath)
        }
    }

    public var isNull: Bool {
        if case .null = content { return true }
        return false
    }

    /// A short description of what the node holds, for "got ..." in errors.
    public var summary: String {
        switch content {
        case .null: return "nothing"
        case .scalar(let text): return "'\(text)'"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    public func error(_ message: String, allowed: String? = nil) -> ConfigError {
        ConfigError(location: location, keyPath: keyPath, message: message, allowed: allowed)
    }

    static func join(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : "\(parent).\(key)"
    }
}

extension ConfigNode {
    /// The same content under another key path (children follow).
    func rekeyed(_ keyPath: String) -> ConfigNode {
        switch content {
        case .null, .scalar:
            return ConfigNode(content, location: location, keyPath: keyPath)
        case .sequence(let items):
            return ConfigNode(.sequence(items.enumerated().map { $0.element.rekeyed("\(keyPath)[\($0.offset)]") }),
                              location: location, keyPath: keyPath)
        case .mapping(let entries):
            return ConfigNode(.mapping(entries.map { (key: $0.key, value: $0.value.rekeyed(ConfigNode.join(keyPath, $0.key))) }),
                              location: location, keyPath: keyPath)
        }
    }

    /// The child at `key` of a mapping node, if any.
    public subscript(key: String) -> ConfigNode? {
        guard case .mapping(let entries) = content else { return nil }
        return entries.first { $0.key == key }?.value
    }

    /// A mapping node without `key`.
    public func removing(_ key: String) -> ConfigNode {
        guard case .mapping(let entries) = content else { return self }
        return ConfigNode(.mapping(entries.filter { $0.key != key }), location: location, keyPath: keyPath)
    }
}
