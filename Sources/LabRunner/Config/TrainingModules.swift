import LabCore

/// The modules and settings of a config's `training` block, each read as far
/// as the blocks it needs allow (a corruption needs the data, penalties the
/// network), every mistake kept in `problems` so all are reported at once.
struct TrainingModules {
    var loss: (any Loss)?
    var optimizer: (any Optimizer)?
    var schedule: (any LearningRateSchedule)?
    var settings: TrainingSettings?
    var corruption: (any Corruption)?
    var regularizers: [any Regularizer]?
    var initialWeights: InitialWeights?
    /// The block itself, for the values the memory estimate points at.
    var reader: ConfigReader?

    init(reading config: ConfigReader, hasData: Bool, network: Network?, baseDirectory: String,
         context: BuildContext, problems: inout ConfigProblems) throws {
        let registry = context.registry
        let node = config.node("training")
        if node == nil { problems.add([config.missing("training", expected: "a mapping with epochs, optimizer, ...")]) }
        let training = try problems.attempt { try node.map { try ConfigReader($0, keys: TrainingSettings.keys) } }
        reader = training
        guard let training else { return }
        let errorsBefore = problems.errors.count
        problems.add(training.undeclaredKeys())
        loss = try problems.attempt { try training.module("loss", from: registry.losses, default: "mse", context: context) }
        optimizer = try problems.attempt { try training.module("optimizer", from: registry.optimizers, context: context) }
        schedule = try problems.attempt { try training.module("schedule", from: registry.schedules, default: "constant", context: context) }
        settings = try problems.attempt { try TrainingSettings(reading: training) }
        initialWeights = try problems.attempt { try InitialWeights.read(from: training, baseDirectory: baseDirectory) } ?? nil
        if let corruptionNode = training.node("corruption") {
            if hasData {
                corruption = try problems.attempt { try training.module("corruption", from: registry.corruptions, context: context) }
            } else {
                problems.add(registry.corruptions.undeclaredKeys(in: corruptionNode))
            }
        }
        regularizers = try problems.attempt { () -> [any Regularizer]? in
            guard let network else { return nil }
            let (built, resolved) = try Experiment.buildRegularizers(training.node("regularizers"), of: network,
                                                                     registry: registry, context: context)
            training.record("regularizers", .list(resolved))
            return built
        }
        // A block read only partly would call the keys after its mistake unknown.
        if problems.errors.count == errorsBefore { _ = try problems.attempt { try training.finish() } }
        config.record("training", training.resolvedValue)
    }
}
