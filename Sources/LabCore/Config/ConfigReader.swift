/// Reads the keys of one config mapping, checks each value's type and range,
/// and records what was used (defaults included) as the resolved config.
///
/// Every key a module reads is by that act an allowed key: `finish()` rejects
/// any other key in the mapping and lists the allowed ones. A reader built
/// with a module's declared parameters takes each read's default, range and
/// allowed values from the declaration, and reading an undeclared key is a
/// programming error in the module.
public final class ConfigReader {
    public let node: ConfigNode
    private let entries: [(key: String, value: ConfigNode)]
    private let specs: [String: ParameterSpec]?
    /// The declared parameters' names in declaration order, for messages.
    private let declaredNames: [String]?
    private let owner: String
    private var readKeys: [String] = []
    public private(set) var resolved: [ConfigValue.Entry] = []

    /// A reader over `node`, which must be a mapping (or null, read as empty);
    /// `specs` are the declared parameters of `owner`, if it declares them.
    /// `keys` name the allowed keys of a block that declares no parameters,
    /// so its unknown keys are found even when reading stops at a wrong value.
    public init(_ node: ConfigNode, specs: [ParameterSpec]? = nil, keys: [String]? = nil, owner: String = "") throws {
        self.node = node
        self.specs = specs.map { Dictionary(uniqueKeysWithValues: $0.map { ($0.name, $0) }) }
        declaredNames = specs?.map(\.name) ?? keys
        self.owner = owner
        switch node.content {
        case .mapping(let pairs): entries = pairs
        case .null: entries = []
        default: throw node.error("expected a mapping of keys to values, got \(node.summary)")
        }
    }

    /// The declaration of `key`, when this reader has declarations.
    private func declared(_ key: String) -> ParameterSpec? {
        guard let specs else { return nil }
        guard let spec = specs[key] else { preconditionFailure("\(owner) reads '\(key)', which it does not declare") }
        return spec
    }

    /// The raw node under `key`, or nil when absent or null. Marks the key allowed.
    public func node(_ key: String) -> ConfigNode? {
        if !readKeys.contains(key) { readKeys.append(key) }
        guard let value = entries.first(where: { $0.key == key })?.value, !value.isNull else { return nil }
        return value
    }

    /// The node under `key`, or the mapping itself when `key` took its
    /// default: where an error about the key's value points.
    public func located(_ key: String) -> ConfigNode {
        node(key) ?? node
    }

    /// Where a missing key would have gone, for "missing key" errors.
    /// A key given in its place under a near spelling (`modell` for `model`)
    /// is the mistake to report, at its own line.
    public func missing(_ key: String, expected: String) -> ConfigError {
        if let typo = entries.first(where: { !readKeys.contains($0.key) && !Self.suggestion(for: $0.key, among: [key]).isEmpty }) {
            return ConfigError(location: typo.value.location, keyPath: typo.value.keyPath,
                               message: "unknown key '\(typo.key)'\(Self.suggestion(for: typo.key, among: [key]))",
                               allowed: (readKeys.contains(key) ? readKeys : readKeys + [key]).joined(separator: ", "),
                               isUnknownKey: true)
        }
        return ConfigError(location: node.location, keyPath: ConfigNode.join(node.keyPath, key),
                           message: "missing required key '\(key)'", allowed: expected)
    }

    /// Records a resolved value for `key` (for values read through `node(_:)`).
    public func record(_ key: String, _ value: ConfigValue) {
        resolved.removeAll { $0.key == key }
        resolved.append(ConfigValue.Entry(key, value))
    }

    public func int(_ key: String, default defaultValue: Int? = nil, range: ParameterRange? = nil) throws -> Int {
        let spec = declared(key)
        let defaultValue = defaultValue ?? spec?.defaultValue?.intValue
        let range = range ?? spec?.range
        let expected = range.map { "an integer \($0.description)" } ?? "an integer"
        guard let value = node(key) else {
            guard let defaultValue else { throw missing(key, expected: expected) }
            record(key, .int(defaultValue))
            return defaultValue
        }
        guard case .scalar(let text) = value.content, let number = Int(text) ?? Self.integralDouble(text) else {
            throw value.error("expected an integer, got \(value.summary)", allowed: expected)
        }
        if let range, !range.contains(Double(number)) {
            throw value.error("\(number) is out of range", allowed: expected)
        }
        record(key, .int(number))
        return number
    }

    public func double(_ key: String, default defaultValue: Double? = nil, range: ParameterRange? = nil) throws -> Double {
        let spec = declared(key)
        let defaultValue = defaultValue ?? spec?.defaultValue?.doubleValue
        let range = range ?? spec?.range
        let expected = range.map { "a number \($0.description)" } ?? "a number"
        guard let value = node(key) else {
            guard let defaultValue else { throw missing(key, expected: expected) }
            record(key, .double(defaultValue))
            return defaultValue
        }
        guard case .scalar(let text) = value.content, let number = Double(text), number.isFinite else {
            throw value.error("expected a number, got \(value.summary)", allowed: expected)
        }
        if let range, !range.contains(number) {
            throw value.error("\(text) is out of range", allowed: expected)
        }
        record(key, .double(number))
        return number
    }

    public func bool(_ key: String, default defaultValue: Bool? = nil) throws -> Bool {
        let defaultValue = defaultValue ?? declared(key)?.defaultValue?.boolValue
        guard let value = node(key) else {
            guard let defaultValue else { throw missing(key, expected: "true or false") }
            record(key, .bool(defaultValue))
            return defaultValue
        }
        guard case .scalar(let text) = value.content, let flag = Self.parseBool(text) else {
            throw value.error("expected true or false, got \(value.summary)", allowed: "true, false")
        }
        record(key, .bool(flag))
        return flag
    }

    public func string(_ key: String, default defaultValue: String? = nil, allowed: [String]? = nil) throws -> String {
        let spec = declared(key)
        let defaultValue = defaultValue ?? spec?.defaultValue?.stringValue
        let allowed = allowed ?? spec?.allowed
        let expected = allowed?.joined(separator: ", ") ?? "a string"
        guard let value = node(key) else {
            guard let defaultValue else { throw missing(key, expected: expected) }
            record(key, .string(defaultValue))
            return defaultValue
        }
        guard case .scalar(let text) = value.content else {
            throw value.error("expected a string, got \(value.summary)", allowed: expected)
        }
        if let allowed, !allowed.contains(text) {
            throw value.error("'\(text)' is not one of the allowed values", allowed: expected)
        }
        record(key, .string(text))
        return text
    }

    /// A list of integers each within `range` (a sample shape, say).
    public func intList(_ key: String, default defaultValue: [Int]? = nil, range: ParameterRange? = nil) throws -> [Int] {
        let spec = declared(key)
        let defaultValue = defaultValue ?? spec?.defaultValue?.intListValue
        let range = range ?? spec?.range
        let expected = "a list of integers" + (range.map { " \($0.description)" } ?? "")
        guard let value = node(key) else {
            guard let defaultValue else { throw missing(key, expected: expected) }
            record(key, .list(defaultValue.map { .int($0) }))
            return defaultValue
        }
        let items: [ConfigNode]
        switch value.content {
        case .sequence(let nodes): items = nodes
        case .scalar: items = [value]
        default: throw value.error("expected a list of integers, got \(value.summary)", allowed: expected)
        }
        let numbers = try items.map { item -> Int in
            guard case .scalar(let text) = item.content, let number = Int(text) else {
                throw item.error("expected an integer, got \(item.summary)", allowed: expected)
            }
            if let range, !range.contains(Double(number)) {
                throw item.error("\(number) is out of range", allowed: expected)
            }
            return number
        }
        record(key, .list(numbers.map { .int($0) }))
        return numbers
    }

    /// `read()` when `key` is given; nil (and nothing recorded) when it is left out.
    private func ifGiven<Value>(_ key: String, _ read: () throws -> Value) rethrows -> Value? {
        guard node(key) != nil else {
            _ = declared(key)
            return nil
        }
        return try read()
    }

    /// A number that may be left out; nil (and nothing recorded) when it is.
    public func optionalDouble(_ key: String, range: ParameterRange? = nil) throws -> Double? {
        try ifGiven(key) { try double(key, range: range) }
    }

    /// An integer that may be left out; nil (and nothing recorded) when it is.
    public func optionalInt(_ key: String, range: ParameterRange? = nil) throws -> Int? {
        try ifGiven(key) { try int(key, range: range) }
    }

    /// Text that may be left out; nil (and nothing recorded) when it is.
    public func optionalString(_ key: String) throws -> String? {
        try ifGiven(key) { try string(key) }
    }

    /// A non-empty list of numbers each within `range`.
    public func doubleList(_ key: String, default defaultValue: [Double]? = nil, range: ParameterRange? = nil) throws -> [Double] {
        let spec = declared(key)
        let defaultValue = defaultValue ?? spec?.defaultValue?.doubleListValue
        let range = range ?? spec?.range
        let expected = "a non-empty list of numbers" + (range.map { " \($0.description)" } ?? "")
        guard let value = node(key) else {
            guard let defaultValue else { throw missing(key, expected: expected) }
            record(key, .list(defaultValue.map { .double($0) }))
            return defaultValue
        }
        guard case .sequence(let items) = value.content, !items.isEmpty else {
            throw value.error("expected \(expected), got \(value.summary)", allowed: expected)
        }
        let numbers = try items.map { item -> Double in
            guard case .scalar(let text) = item.content, let number = Double(text), number.isFinite else {
                throw item.error("expected a number, got \(item.summary)", allowed: expected)
            }
            if let range, !range.contains(number) { throw item.error("\(text) is out of range", allowed: expected) }
            return number
        }
        record(key, .list(numbers.map { .double($0) }))
        return numbers
    }

    /// A module of another kind named under `key` (an initializer of a layer),
    /// built through `table` and recorded with its resolved parameters.
    public func module<Product>(
        _ key: String, from table: ModuleTable<Product>, default defaultName: String? = nil, context: BuildContext
    ) throws -> Product {
        let defaultName = defaultName ?? declared(key)?.defaultValue?.stringValue
        let child: ConfigNode
        if let given = node(key) {
            child = given
        } else if let defaultName {
            child = ConfigNode.synthesized(.string(defaultName), keyPath: ConfigNode.join(node.keyPath, key))
        } else {
            throw missing(key, expected: "\(table.kind) names: \(table.names.joined(separator: ", "))")
        }
        let (module, resolvedValue) = try table.build(child, context: context)
        record(key, resolvedValue)
        return module
    }

    /// Rejects every key that no read asked for, naming the allowed ones.
    public func finish() throws {
        try ConfigErrors.throwIfAny(unknownKeys(allowed: readKeys))
    }

    /// Errors for the keys a module does not declare, found before it reads
    /// any value, so they are reported even when a value turns out wrong.
    public func undeclaredKeys() -> [ConfigError] {
        guard let declaredNames else { return [] }
        return unknownKeys(allowed: declaredNames)
    }

    private func unknownKeys(allowed names: [String]) -> [ConfigError] {
        let allowed = names.isEmpty ? "no keys" : names.joined(separator: ", ")
        return entries.filter { !names.contains($0.key) }.map { entry in
            ConfigError(location: entry.value.location, keyPath: entry.value.keyPath,
                        message: "unknown key '\(entry.key)'\(Self.suggestion(for: entry.key, among: names))",
                        allowed: allowed, isUnknownKey: true)
        }
    }

    /// The resolved mapping: every key read, with the value used.
    public var resolvedValue: ConfigValue { .map(resolved) }

    /// " (did you mean 'x'?)" for the nearest name by edit distance, if near enough.
    public static func suggestion(for name: String, among names: [String]) -> String {
        let scored = names.map { ($0, editDistance(name, $0)) }.min { $0.1 < $1.1 }
        guard let (best, distance) = scored, distance <= max(2, name.count / 3) else { return "" }
        return " (did you mean '\(best)'?)"
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    private static func parseBool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }

    /// Accepts `1e3` or `100.0` where an integer is expected, but not `2.5`.
    private static func integralDouble(_ text: String) -> Int? {
        guard let number = Double(text), number.isFinite, number == number.rounded(),
              abs(number) < 1e15 else { return nil }
        return Int(number)
    }
}
