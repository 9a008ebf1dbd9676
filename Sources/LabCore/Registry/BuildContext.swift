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
    /// The training's corruption, for analyses that picture what it does (denoising runs).
    public var corruption: (any Corruption)?
    /// The training's loss, for analyses that score other reconstructions by it.
    public var loss: (any Loss)?
    /// The training data's class labels, where it has them, for analyses that colour points by class.
    public var labels: [Int]?

    public init(registry: Registry, inputShape: [Int] = [], baseDirectory: String = ".", seed: UInt64 = 0,
                corruption: (any Corruption)? = nil, loss: (any Loss)? = nil, labels: [Int]? = nil) {
        self.registry = registry
        self.inputShape = inputShape
        self.baseDirectory = baseDirectory
        self.seed = seed
        self.corruption = corruption
        self.loss = loss
        self.labels = labels
    }
}
