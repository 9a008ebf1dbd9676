/// One parameter a module accepts: its name, type, default, allowed values
/// and a one-line description. The registry validates configs against these
/// and `aelab list` prints them.
public struct ParameterSpec: Sendable {
    public enum Kind: Sendable {
        case integer, number, boolean, text, integers, numbers
        /// A module of another kind (`kernel_initializer: glorot_normal`).
        case module(kind: String)
    }

    public var name: String
    public var kind: Kind
    /// nil: the parameter is required (or, with `optional`, may be left out).
    public var defaultValue: ConfigValue?
    public var range: ParameterRange?
    public var allowed: [String]?
    public var optional: Bool
    public var doc: String

    public init(_ name: String, _ kind: Kind, default defaultValue: ConfigValue? = nil, range: ParameterRange? = nil,
                allowed: [String]? = nil, optional: Bool = false, doc: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.range = range
        self.allowed = allowed
        self.optional = optional
        self.doc = doc
    }

    public static func integer(_ name: String, default value: Int? = nil, range: ParameterRange? = nil,
                               optional: Bool = false, doc: String) -> ParameterSpec {
        ParameterSpec(name, .integer, default: value.map { .int($0) }, range: range, optional: optional, doc: doc)
    }

    public static func number(_ name: String, default value: Double? = nil, range: ParameterRange? = nil,
                              optional: Bool = false, doc: String) -> ParameterSpec {
        ParameterSpec(name, .number, default: value.map { .double($0) }, range: range, optional: optional, doc: doc)
    }

    public static func boolean(_ name: String, default value: Bool? = nil, doc: String) -> ParameterSpec {
        ParameterSpec(name, .boolean, default: value.map { .bool($0) }, doc: doc)
    }

    public static func choice(_ name: String, _ allowed: [String], default value: String? = nil, doc: String) -> ParameterSpec {
        ParameterSpec(name, .text, default: value.map { .string($0) }, allowed: allowed, doc: doc)
    }

    public static func module(_ name: String, kind: String, default value: String? = nil, doc: String) -> ParameterSpec {
        ParameterSpec(name, .module(kind: kind), default: value.map { .string($0) }, doc: doc)
    }

    /// "integer >= 1", "one of keras, pytorch", "initializer": for listings and errors.
    public var typeDescription: String {
        switch kind {
        case .integer: return "integer" + (range.map { " \($0.description)" } ?? "")
        case .number: return "number" + (range.map { " \($0.description)" } ?? "")
        case .boolean: return "true or false"
        case .text: return allowed.map { "one of \($0.joined(separator: ", "))" } ?? "text"
        case .integers: return "list of integers" + (range.map { " \($0.description)" } ?? "")
        case .numbers: return "list of numbers" + (range.map { " \($0.description)" } ?? "")
        case .module(let kind): return kind
        }
    }

    /// "(default 32)", "(required)", "(optional)".
    public var defaultDescription: String {
        if let defaultValue { return "default \(Self.text(defaultValue))" }
        return optional ? "optional" : "required"
    }

    static func text(_ value: ConfigValue) -> String {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .list(let items): return "[" + items.map(text).joined(separator: ", ") + "]"
        case .map: return "{...}"
        }
    }
}
