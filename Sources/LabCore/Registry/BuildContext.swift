/// What a module's factory may need besides its own config keys.
public struct BuildContext: Sendable {
    /// The registry, for modules that build other modules (a layer's initializer).
    public var registry: Registry
    /// Shape of one input sample, for layers (inferred from the layer before).
    public var inputShape: [Int]
    /// Folder of the config file, against which relative paths resolve.
    public var baseDirectory: String
    /// The experiment's seed, for modules that draw data of their own.
    public var seed: UInt64

    public init(registry: Registry, inputShape: [Int] = [], baseDirectory: String = ".", seed: UInt64 = 0) {
        self.registry = registry
        self.inputShape = inputShape
        self.baseDirectory = baseDirectory
        self.seed = seed
    }
}
