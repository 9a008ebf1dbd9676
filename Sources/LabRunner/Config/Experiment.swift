import Foundation
import LabCore

/// An experiment composed from its config: data, network (initialised),
/// loss, optimizer, optional corruption, training settings and analyses,
/// plus the resolved config that records every value used, and describes
/// exactly this experiment (it never changes: other analyses make another
/// experiment). `ExperimentBuilder` composes it from files and sweep points.
public final class Experiment {
    public let name: String
    public let seed: UInt64
    public let dataset: any Dataset
    public let network: Network
    public let loss: any Loss
    public let optimizer: any Optimizer
    public let schedule: any LearningRateSchedule
    /// The optimizer's configured learning rate, which the schedule scales.
    public let baseLearningRate: Double
    public let corruption: (any Corruption)?
    public let regularizers: [any Regularizer]
    public let training: TrainingSettings
    public let analyses: [any Analysis]
    public let resolvedConfig: ConfigValue
    /// The file the experiment was read from (for messages).
    public let source: String
    /// What it needs in memory at its peak; composing refuses more than the limit.
    public let memoryEstimate: MemoryEstimate

    /// `memoryLimit` in bytes defaults to the machine's physical memory.
    public init(config root: ConfigNode, registry: Registry, baseDirectory: String, source: String,
                memoryLimit: Double = MemoryEstimate.physicalMemory) throws {
        let config = try ConfigReader(root)
        self.source = source
        name = try config.string("name")
        guard !name.isEmpty, name.count <= 200, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }),
              !name.hasPrefix(".") else {
            let shown = name.count > 40 ? name.prefix(40) + "… (\(name.count) characters)" : Substring(name)
            throw config.located("name").error("'\(shown)' cannot name a run directory",
                                             allowed: "up to 200 letters, digits, '-', '_', '.', not starting with '.'")
        }
        seed = UInt64(try config.int("seed", default: 0, range: .nonNegative))
        var context = BuildContext(registry: registry, baseDirectory: baseDirectory, seed: seed)

        guard let dataNode = config.node("data") else { throw config.missing("data", expected: "a dataset") }
        let (dataset, resolvedData) = try registry.datasets.build(dataNode, context: context)
        config.record("data", resolvedData)
        guard dataset.count > 0 else {
            throw dataNode.error("the dataset holds no samples", allowed: "a split, first, per_class and exclude that keep at least one")
        }
        self.dataset = dataset

        guard let modelNode = config.node("model") else { throw config.missing("model", expected: "'layers' or 'mlp'") }
        let model = try ConfigReader(modelNode)
        let layerSources: [ConfigNode]
        (network, layerSources) = try ModelBuilder.build(model, inputShape: dataset.sampleShape,
                                                       inputSource: dataNode["shape"] ?? dataNode, context: context)
        try model.finish()
        config.record("model", model.resolvedValue)

        guard let trainingNode = config.node("training") else { throw config.missing("training", expected: "a mapping with epochs, optimizer, ...") }
        let trainingConfig = try ConfigReader(trainingNode)
        context.inputShape = dataset.sampleShape
        loss = try trainingConfig.module("loss", from: registry.losses, default: "mse", context: context)
        optimizer = try trainingConfig.module("optimizer", from: registry.optimizers, context: context)
        baseLearningRate = Double(optimizer.learningRate)
        schedule = try trainingConfig.module("schedule", from: registry.schedules, default: "constant", context: context)
        training = try TrainingSettings(reading: trainingConfig)
        if trainingConfig.node("corruption") != nil {
            corruption = try trainingConfig.module("corruption", from: registry.corruptions, context: context)
        } else {
            corruption = nil
        }
        let (regularizers, resolvedRegularizers) = try Self.buildRegularizers(trainingConfig.node("regularizers"), of: network,
                                                                                 registry: registry, context: context)
        trainingConfig.record("regularizers", .list(resolvedRegularizers))
        self.regularizers = regularizers
        try trainingConfig.finish()
        config.record("training", trainingConfig.resolvedValue)

        context.corruption = corruption
        let (analyses, resolvedAnalyses) = try Self.buildAnalyses(config.node("analyses"), registry: registry, context: context)
        config.record("analyses", .list(resolvedAnalyses))
        self.analyses = analyses.map(\.analysis)
        try config.finish()
        resolvedConfig = config.resolvedValue

        memoryEstimate = MemoryEstimate(MemoryEstimate.Inputs(
            network: network, layerSources: layerSources, dataset: dataset, dataNode: dataNode,
            optimizerSlots: optimizer.slotNames.count, batchSize: training.batchSize,
            batchNode: trainingConfig.located("batch_size"), analyses: analyses))
        try memoryEstimate.check(limit: memoryLimit)

        var initRNG = RandomGenerator(seed: seed).derived("init")
        network.initializeParameters(using: &initRNG)
    }

    /// The penalties of `training.regularizers`, each on a layer the network has.
    static func buildRegularizers(_ node: ConfigNode?, of network: Network, registry: Registry,
                                  context: BuildContext) throws -> ([any Regularizer], [ConfigValue]) {
        guard let node else { return ([], []) }
        guard case .sequence(let items) = node.content else {
            throw node.error("expected a list of regularizers, got \(node.summary)")
        }
        var regularizers: [any Regularizer] = []
        var resolved: [ConfigValue] = []
        for item in items {
            let (regularizer, value) = try registry.regularizers.build(item, context: context)
            if let layer = regularizer.layer, !network.layerNames.contains(layer) {
                throw item.error("no layer named '\(layer)'\(ConfigReader.suggestion(for: layer, among: network.layerNames))",
                                 allowed: network.layerNames.joined(separator: ", "))
            }
            regularizers.append(regularizer)
            resolved.append(value)
        }
        return (regularizers, resolved)
    }

    static func buildAnalyses(_ node: ConfigNode?, registry: Registry,
                              context: BuildContext) throws -> ([(analysis: any Analysis, node: ConfigNode)], [ConfigValue]) {
        guard let node else { return ([], []) }
        guard case .sequence(let items) = node.content else {
            throw node.error("expected a list of analyses, got \(node.summary)")
        }
        var analyses: [(analysis: any Analysis, node: ConfigNode)] = []
        var resolved: [ConfigValue] = []
        for item in items {
            let (analysis, value) = try registry.analyses.build(item, context: context)
            analyses.append((analysis, item))
            resolved.append(value)
        }
        return (analyses, resolved)
    }

    /// The generator for shuffling and corruption at epoch 0.
    public var initialTrainingRNG: RandomGenerator { RandomGenerator(seed: seed).derived("train") }

    public var resolvedYAML: String {
        get throws { try YAMLConfigLoader.yaml(resolvedConfig) }
    }
}
