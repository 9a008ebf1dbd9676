import LabCore

/// The `evaluation` block: data the network does not train on (the test split,
/// say) and how often its loss is taken: every `every` epochs and at the last.
/// The loss is the training's loss module on clean inputs, without corruption
/// or regulariser penalties (`DatasetLoss`), so it compares with `full_loss`.
public struct HeldoutEvaluation {
    public let dataset: any Dataset
    public let every: Int

    /// The block's evaluation, its data built like the training data's but
    /// drawing from a seed of its own (a `random` set is then other samples).
    static func read(_ node: ConfigNode, trainingShape: [Int], context: BuildContext) throws -> (HeldoutEvaluation, ConfigValue) {
        let config = try ConfigReader(node)
        guard let dataNode = config.node("data") else { throw config.missing("data", expected: "a dataset, e.g. the test split of the training data") }
        var context = context
        var seeds = RandomGenerator(seed: context.seed).derived("evaluation")
        context.seed = seeds.next()
        let (dataset, resolvedData) = try context.registry.datasets.build(dataNode, context: context)
        config.record("data", resolvedData)
        guard dataset.count > 0 else {
            throw dataNode.error("the dataset holds no samples", allowed: "a split, first, per_class and exclude that keep at least one")
        }
        guard dataset.sampleShape == trainingShape else {
            throw dataNode.error("samples have shape \(dataset.sampleShape), but the network trains on \(trainingShape)",
                                 allowed: "data of the training data's sample shape")
        }
        let every = try config.int("every", default: 1, range: .atLeast(1))
        try config.finish()
        return (HeldoutEvaluation(dataset: dataset, every: every), config.resolvedValue)
    }

    /// Whether the held-out loss is taken after `epoch` of a run of `totalEpochs`.
    public func isDue(at epoch: Int, of totalEpochs: Int) -> Bool {
        epoch % every == 0 || epoch == totalEpochs
    }
}
