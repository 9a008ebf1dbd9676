/// The modules of one kind (activations, optimizers, ...) by name.
///
/// A config names a module as a bare string (`relu`) or as a mapping with a
/// `type` key and the module's parameters (`{type: rmsprop, learning_rate: 1e-3}`).
public struct ModuleTable<Product>: Sendable {
    public typealias Factory = @Sendable (ConfigReader, BuildContext) throws -> Product

    public struct Entry: Sendable {
        public let name: String
        public let summary: String
        public let parameters: [ParameterSpec]
        let factory: Factory
    }

    /// The kind's name in messages (`activation`, `optimizer`).
    public let kind: String
    private var entries: [String: Entry] = [:]

    public init(kind: String) {
        self.kind = kind
    }

    public var names: [String] { entries.keys.sorted() }
    /// Every module of this kind, by name: for listings.
    public var descriptions: [ModuleDescription] {
        names.map { ModuleDescription(kind: kind, name: $0, summary: entries[$0]!.summary, parameters: entries[$0]!.parameters) }
    }

    public func contains(_ name: String) -> Bool { entries[name] != nil }

    /// Adds a module with its declared parameters; its factory reads them from
    /// the `ConfigReader` it is given. Registering a name twice is a
    /// programming error.
    public mutating func register(_ name: String, summary: String, parameters: [ParameterSpec] = [],
                                  _ factory: @escaping Factory) {
        precondition(entries[name] == nil, "\(kind) '\(name)' is registered twice")
        entries[name] = Entry(name: name, summary: summary, parameters: parameters, factory: factory)
    }

    /// The module's name and the mapping of its parameters (empty for a bare name).
    public static func split(_ node: ConfigNode, kind: String) throws -> (name: String, parameters: ConfigNode) {
        switch node.content {
        case .scalar(let name):
            return (name, ConfigNode(.null, location: node.location, keyPath: node.keyPath))
        case .mapping(let pairs):
            guard let typeNode = pairs.first(where: { $0.key == "type" })?.value,
                  case .scalar(let name) = typeNode.content else {
                throw node.error("a \(kind) mapping needs a 'type' key naming the \(kind)")
            }
            let rest = pairs.filter { $0.key != "type" }
            return (name, ConfigNode(.mapping(rest), location: node.location, keyPath: node.keyPath))
        default:
            throw node.error("expected a \(kind) name or a mapping with 'type', got \(node.summary)")
        }
    }

    /// Builds the module `node` names, and returns what it resolved to
    /// (`{type: name, every parameter with its value}`).
    public func build(_ node: ConfigNode, context: BuildContext) throws -> (module: Product, resolved: ConfigValue) {
        let (name, parameters) = try Self.split(node, kind: kind)
        guard let entry = entries[name] else { throw unknownName(name, at: node) }
        let reader = try ConfigReader(parameters, specs: entry.parameters, owner: "\(kind) '\(name)'")
        let undeclared = reader.undeclaredKeys()
        let module: Product
        do {
            module = try entry.factory(reader, context)
        } catch {
            try ConfigErrors.throwIfAny(undeclared + [error])
            throw error
        }
        try ConfigErrors.throwIfAny(undeclared)
        try reader.finish()
        return (module, .map([ConfigValue.Entry("type", .string(name))] + reader.resolved))
    }

    /// The keys `node` gives that its module does not declare, without
    /// building it (for a block that cannot be built for another reason);
    /// empty when the node names no module of this kind.
    public func undeclaredKeys(in node: ConfigNode) -> [ConfigError] {
        guard let (name, parameters) = try? Self.split(node, kind: kind), let entry = entries[name],
              let reader = try? ConfigReader(parameters, specs: entry.parameters) else { return [] }
        return reader.undeclaredKeys()
    }

    public func unknownName(_ name: String, at node: ConfigNode) -> ConfigError {
        node.error("unknown \(kind) '\(name)'\(ConfigReader.suggestion(for: name, among: names))",
                   allowed: names.isEmpty ? "none registered" : names.joined(separator: ", "))
    }
}
