import Foundation
import LabCore
import Yams

/// Reads a YAML file into located `ConfigNode`s, and writes resolved values back as YAML.
public enum YAMLConfigLoader {
    public static func load(file path: String) throws -> ConfigNode {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw RunError("\(path): cannot read the config file (\(error.localizedDescription))")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws -> ConfigNode {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxError(error, text: text, file: file)
        }
        guard let root else {
            throw ConfigError(location: SourceLocation(file: file, line: 1, column: 1), keyPath: "",
                              message: "the config file is empty")
        }
        var budget = maximumValues
        return try convert(root, file: file, keyPath: "", budget: &budget)
    }

    /// Values a config may hold once YAML's aliases are expanded: far beyond
    /// any experiment, far below what nested aliases ("billion laughs") reach.
    static let maximumValues = 100_000

    /// YAML text for a resolved config, keys in the order they were resolved.
    public static func yaml(_ value: ConfigValue) throws -> String {
        try Yams.serialize(node: node(value), sortKeys: false)
    }

    private static func convert(_ node: Node, file: String, keyPath: String, budget: inout Int) throws -> ConfigNode {
        let location = SourceLocation(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
        budget -= 1
        guard budget >= 0 else {
            throw ConfigError(location: location, keyPath: keyPath,
                              message: "the config holds more than \(maximumValues) values once its aliases are expanded",
                              allowed: "aliases that do not multiply each other")
        }
        switch node {
        case .scalar(let scalar):
            let isNull = scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
            return ConfigNode(isNull ? .null : .scalar(scalar.string), location: location, keyPath: keyPath)
        case .sequence(let sequence):
            let items = try sequence.enumerated().map { index, item in
                try convert(item, file: file, keyPath: "\(keyPath)[\(index)]", budget: &budget)
            }
            return ConfigNode(.sequence(items), location: location, keyPath: keyPath)
        case .mapping(let mapping):
            var seen: Set<String> = []
            let pairs = try mapping.map { key, value -> (key: String, value: ConfigNode) in
                let keyLocation = SourceLocation(file: file, line: key.mark?.line ?? 0, column: key.mark?.column ?? 0)
                guard case .scalar(let keyScalar) = key else {
                    throw ConfigError(location: keyLocation, keyPath: keyPath, message: "mapping keys must be plain names")
                }
                let childPath = keyPath.isEmpty ? keyScalar.string : "\(keyPath).\(keyScalar.string)"
                guard seen.insert(keyScalar.string).inserted else {
                    throw ConfigError(location: keyLocation, keyPath: childPath, message: "key '\(keyScalar.string)' appears twice")
                }
                var child = try convert(value, file: file, keyPath: childPath, budget: &budget)
                // Point errors about a value at its key's line: that is where people look.
                if child.isNull || child.location.line == 0 { child.location = keyLocation }
                return (keyScalar.string, child)
            }
            return ConfigNode(.mapping(pairs), location: location, keyPath: keyPath)
        case .alias:
            throw ConfigError(location: location, keyPath: keyPath, message: "YAML aliases are not supported")
        }
    }

    private static func node(_ value: ConfigValue) -> Node {
        switch value {
        case .string(let text): return Node(text)
        case .int(let number): return Node(String(number))
        case .double(let number): return Node(String(number))
        case .bool(let flag): return Node(flag ? "true" : "false")
        case .list(let items): return Node(items.map(node), Tag(.seq), items.allSatisfy(\.isScalar) ? .flow : .any)
        case .map(let entries): return Node(entries.map { (Node($0.key), node($0.value)) })
        }
    }

    /// The YAML library's error as one located line (its own text quotes the whole file).
    private static func syntaxError(_ error: YamlError, text: String, file: String) -> any Error {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ConfigError(location: SourceLocation(file: file, line: mark.line, column: mark.column), keyPath: "",
                               message: "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let keys, let context):
            return DuplicateKey(key: keys.first ?? "", first: context.mark, text: text).error(file: file)
        case .reader(let problem, _, _, _):
            return ConfigError(location: SourceLocation(file: file, line: 1, column: 1), keyPath: "",
                               message: "invalid YAML: \(problem)")
        default:
            return RunError("\(file): invalid YAML: \(error)")
        }
    }
}

private extension ConfigValue {
    var isScalar: Bool {
        switch self {
        case .list, .map: return false
        default: return true
        }
    }
}
