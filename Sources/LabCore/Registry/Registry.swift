/// Every module a config can name, by kind and name.
///
/// Built-in modules register through one function in LabModules; a plugin
/// exposes one `register(in:)`. A registry is an ordinary value passed to
/// whoever composes an experiment: no global state, no runtime loading.
public struct Registry: Sendable {
    public var layers = ModuleTable<any Layer>(kind: "layer")
    public var activations = ModuleTable<any Activation>(kind: "activation")
    public var losses = ModuleTable<any Loss>(kind: "loss")
    public var optimizers = ModuleTable<any Optimizer>(kind: "optimizer")
    public var schedules = ModuleTable<any LearningRateSchedule>(kind: "schedule")
    public var initializers = ModuleTable<any Initializer>(kind: "initializer")
    public var datasets = ModuleTable<any Dataset>(kind: "dataset")
    public var corruptions = ModuleTable<any Corruption>(kind: "corruption")
    public var regularizers = ModuleTable<any Regularizer>(kind: "regularizer")
    public var analyses = ModuleTable<any Analysis>(kind: "analysis")

    public init() {}

    /// Every registered module, kind by kind, in the order configs meet them.
    public var descriptions: [ModuleDescription] {
        datasets.descriptions + layers.descriptions + activations.descriptions + initializers.descriptions
            + losses.descriptions + optimizers.descriptions + schedules.descriptions + corruptions.descriptions
            + regularizers.descriptions
            + analyses.descriptions
    }

    /// The undeclared keys of a `model.layers` entry, without building it.
    public func undeclaredLayerKeys(in node: ConfigNode) -> [ConfigError] {
        layers.undeclaredKeys(in: node) + activations.undeclaredKeys(in: node)
    }

    /// A layer from a `model.layers` entry: a registered layer, or an activation
    /// used directly as a layer (`- relu`, `- {type: relu, derivative_at_zero: 0}`).
    public func buildLayer(_ node: ConfigNode, context: BuildContext) throws -> (layer: any Layer, resolved: ConfigValue) {
        let (name, _) = try ModuleTable<any Layer>.split(node, kind: "layer")
        if layers.contains(name) {
            let (layer, resolved) = try layers.build(node, context: context)
            return (layer, resolved)
        }
        if activations.contains(name) {
            let (activation, resolved) = try activations.build(node, context: context)
            return (ActivationLayer(typeName: name, activation: activation, inputShape: context.inputShape), resolved)
        }
        throw node.error("unknown layer '\(name)'\(ConfigReader.suggestion(for: name, among: layers.names + activations.names))",
                         allowed: (layers.names + activations.names).joined(separator: ", "))
    }
}
