import LabCore

/// The keys any entry of `model.layers` may carry besides its module's own:
/// `name` (what checkpoints, regularizers and initial weights call the
/// layer) and `trainable` (false freezes its parameters). They are taken off
/// the entry before the layer is built, and put back in its resolved form
/// only when given, so configs without them resolve as before.
struct LayerOptions {
    /// The entry without `name` and `trainable`, for the layer's factory.
    var moduleNode: ConfigNode
    var name: String?
    var nameNode: ConfigNode?
    var trainable: Bool
    var trainableNode: ConfigNode?
    private var given: [ConfigValue.Entry]

    /// The entry as its module's factory reads it: without `name` and `trainable`.
    static func moduleNode(of node: ConfigNode) -> ConfigNode { node.removing("name").removing("trainable") }

    init(reading node: ConfigNode) throws {
        moduleNode = Self.moduleNode(of: node)
        nameNode = node["name"]
        trainableNode = node["trainable"]
        let options = ConfigNode(.mapping([("name", nameNode), ("trainable", trainableNode)].compactMap { key, value in
            value.map { (key: key, value: $0) }
        }), location: node.location, keyPath: node.keyPath)
        let reader = try ConfigReader(options)
        name = try reader.optionalString("name")
        trainable = trainableNode == nil ? true : try reader.bool("trainable")
        given = reader.resolved
        if let name, let nameNode, !Self.isValid(name) {
            throw nameNode.error("'\(name)' cannot name a layer", allowed: "letters, digits, '_', '-', '.', not starting with '.'")
        }
    }

    /// No options: the entry goes to its factory as it is (the `mlp` form's layers).
    init(plain node: ConfigNode) {
        moduleNode = node
        trainable = true
        given = []
    }

    /// The layer's resolved module with the options that were given.
    func resolved(_ module: ConfigValue) -> ConfigValue {
        guard !given.isEmpty, case .map(let entries) = module else { return module }
        return .map(entries + given)
    }

    /// A name that can be an HDF5 group of its own (`/model_weights/NAME`).
    static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 100 && !name.hasPrefix(".")
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) }
    }
}
