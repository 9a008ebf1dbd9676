import LabCore

/// Everything needed to resume a run exactly or analyse its weights: the
/// parameters layer by layer, the optimizer's state, the epoch and loss, the
/// training random generator's state, and the resolved config.
public struct Checkpoint {
    public struct LayerWeights {
        public var name: String
        public var parameters: [(name: String, value: Tensor)]
    }

    public var layers: [LayerWeights]
    public var optimizerType: String
    public var optimizerSlotNames: [String]
    public var optimizerState: OptimizerState
    /// `layer/parameter` of each parameter the optimizer's slots belong to, in
    /// slot order: the trainable layers' parameters (frozen layers have none).
    public var optimizerSlotOwners: [String]
    public var epoch: Int
    public var loss: Double
    public var trainingSeconds: Double
    public var seed: UInt64
    public var rngState: [UInt64]
    /// The resolved config as YAML text.
    public var config: String
    /// The architecture for `keras.models.load_model`, or why there is none;
    /// nil for files written before checkpoints carried it.
    public var kerasModel: KerasModel?
    /// Where the run's starting weights came from, when it fine-tunes another run's.
    public var initialWeights: WeightsOrigin?
    /// Set when training ended here (attribute `stop`); nil while it goes on.
    public var stop: TrainingStop?

    /// A checkpoint of the network's current weights, or of `parameterValues`
    /// (one tensor per `network.parameters`, same order) when given; the
    /// optimizer's state is included unless `optimizerState` overrides it.
    public init(network: Network, optimizer: any Optimizer, epoch: Int, loss: Double, trainingSeconds: Double,
                seed: UInt64, rng: RandomGenerator, config: String, initialWeights: WeightsOrigin? = nil,
                stop: TrainingStop? = nil,
                parameterValues: [Tensor]? = nil, optimizerState: OptimizerState? = nil) {
        var values = (parameterValues ?? network.parameters.map(\.value)).makeIterator()
        layers = zip(network.layerNames, network.layers).compactMap { name, layer in
            layer.parameters.isEmpty ? nil
                : LayerWeights(name: name, parameters: layer.parameters.map { ($0.name, values.next()!) })
        }
        optimizerType = optimizer.typeName
        optimizerSlotNames = optimizer.slotNames
        self.optimizerState = optimizerState ?? optimizer.state
        optimizerSlotOwners = network.trainableParameterPaths
        self.epoch = epoch
        self.loss = loss
        self.trainingSeconds = trainingSeconds
        self.seed = seed
        rngState = rng.state
        self.config = config
        kerasModel = KerasModel(network: network)
        self.initialWeights = initialWeights
        self.stop = stop
    }

    init(layers: [LayerWeights], optimizerType: String, optimizerSlotNames: [String], optimizerState: OptimizerState,
         optimizerSlotOwners: [String], epoch: Int, loss: Double, trainingSeconds: Double, seed: UInt64,
         rngState: [UInt64], config: String, kerasModel: KerasModel?, initialWeights: WeightsOrigin?,
         stop: TrainingStop?) {
        self.layers = layers
        self.optimizerType = optimizerType
        self.optimizerSlotNames = optimizerSlotNames
        self.optimizerState = optimizerState
        self.optimizerSlotOwners = optimizerSlotOwners
        self.epoch = epoch
        self.loss = loss
        self.trainingSeconds = trainingSeconds
        self.seed = seed
        self.rngState = rngState
        self.config = config
        self.kerasModel = kerasModel
        self.initialWeights = initialWeights
        self.stop = stop
    }

    /// Copies the weights into `network` after checking every name and shape;
    /// `file` names the checkpoint in errors. Nothing is changed on a mismatch.
    public func restoreWeights(into network: Network, file: String) throws {
        let targets = zip(network.layerNames, network.layers).filter { !$0.1.parameters.isEmpty }
        guard targets.map(\.0) == layers.map(\.name) else {
            throw FileError(file: file, message: "holds layers \(layers.map(\.name)) but the network has \(targets.map(\.0))")
        }
        for ((name, layer), stored) in zip(targets, layers) {
            guard layer.parameters.map(\.name) == stored.parameters.map(\.name) else {
                throw FileError(file: file, message: "layer '\(name)' holds \(stored.parameters.map(\.name)), expected \(layer.parameters.map(\.name))")
            }
            for (parameter, value) in zip(layer.parameters, stored.parameters) where parameter.value.shape != value.value.shape {
                throw FileError(file: file, message: "'\(name)/\(parameter.name)' has shape \(value.value.shape) in the checkpoint but \(parameter.value.shape) in the network")
            }
        }
        for ((_, layer), stored) in zip(targets, layers) {
            for (parameter, value) in zip(layer.parameters, stored.parameters) { parameter.value = value.value }
        }
    }

    /// Restores the optimizer's step count and slots (checked against the
    /// network's trainable parameters, by name and shape).
    public func restoreOptimizer(_ optimizer: any Optimizer, network: Network, file: String) throws {
        guard optimizer.typeName == optimizerType, optimizer.slotNames == optimizerSlotNames else {
            throw FileError(file: file, message: "optimizer state is for '\(optimizerType)' with slots \(optimizerSlotNames), not '\(optimizer.typeName)' with \(optimizer.slotNames)")
        }
        if !optimizerState.slots.isEmpty {
            let parameters = network.trainableParameters
            guard optimizerSlotOwners == network.trainableParameterPaths else {
                throw FileError(file: file, message: "optimizer slots are for \(optimizerSlotOwners), but the network trains \(network.trainableParameterPaths)")
            }
            guard optimizerState.slots.count == parameters.count,
                  zip(optimizerState.slots, parameters).allSatisfy({ slots, parameter in
                      slots.allSatisfy { $0.shape == parameter.value.shape }
                  }) else {
                throw FileError(file: file, message: "optimizer slots do not match the network's parameters")
            }
        }
        optimizer.state = optimizerState
    }

    public func restoredRandomGenerator(file: String) throws -> RandomGenerator {
        guard let rng = RandomGenerator(state: rngState) else {
            throw FileError(file: file, message: "rng_state must be four words, not all zero; got \(rngState)")
        }
        return rng
    }
}
