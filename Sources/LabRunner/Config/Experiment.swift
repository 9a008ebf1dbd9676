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
    /// `training.initial_weights`: another run's weights to start from.
    public let initialWeights: InitialWeights?
    /// The `evaluation` block: the held-out data whose loss `metrics.csv` records.
    public let evaluation: HeldoutEvaluation?
    public let analyses: [any Analysis]
    /// Which weights each of `analyses` studies (same order).
    public let analysisWeights: [AnalysisWeights]
    public let resolvedConfig: ConfigValue
    /// The file the experiment was read from (for messages).
    public let source: String
    /// What built `network`, to build another like it (`newNetwork()`).
    private let modelNode: ConfigNode
    private let modelContext: BuildContext

    public init(config root: ConfigNode, registry: Registry, baseDirectory: String, source: String) throws {
        let config = try ConfigReader(root)
        self.source = source
        name = try config.string("name")
        guard !name.isEmpty, name.count <= 200, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }),
              !name.hasPrefix(".") else {
            let shown = name.count > 40 ? name.prefix(40) + "… (\(name.count) characters)" : Substring(name)
            throw config.node("name")!.error("'\(shown)' cannot name a run directory",
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
        network = try ModelBuilder.build(model, inputShape: dataset.sampleShape, context: context)
        try model.finish()
        (self.modelNode, modelContext) = (modelNode, context)
        config.record("model", model.resolvedValue)

        guard let trainingNode = config.node("training") else { throw config.missing("training", expected: "a mapping with epochs, optimizer, ...") }
        let trainingConfig = try ConfigReader(trainingNode)
        context.inputShape = dataset.sampleShape
        loss = try trainingConfig.module("loss", from: registry.losses, default: "mse", context: context)
        optimizer = try trainingConfig.module("optimizer", from: registry.optimizers, context: context)
        baseLearningRate = Double(optimizer.learningRate)
        schedule = try trainingConfig.module("schedule", from: registry.schedules, default: "constant", context: context)
        training = try TrainingSettings(reading: trainingConfig)
        initialWeights = try InitialWeights.read(from: trainingConfig, baseDirectory: baseDirectory)
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
        if let evaluationNode = config.node("evaluation") {
            let (evaluation, resolvedEvaluation) = try HeldoutEvaluation.read(evaluationNode, trainingShape: dataset.sampleShape, context: context)
            config.record("evaluation", resolvedEvaluation)
            self.evaluation = evaluation
        } else {
            evaluation = nil
        }

        context.corruption = corruption
        (context.loss, context.labels) = (loss, dataset.labels)
        let (analyses, weights, resolvedAnalyses) = try Self.buildAnalyses(config.node("analyses"), of: network,
                                                                           registry: registry, context: context)
        config.record("analyses", .list(resolvedAnalyses))
        self.analyses = analyses
        analysisWeights = weights
        try config.finish()
        resolvedConfig = config.resolvedValue

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

    /// The analyses, the weights each studies, and their resolved entries
    /// (`weights` among them only when given, so other configs resolve as before).
    static func buildAnalyses(_ node: ConfigNode?, of network: Network, registry: Registry, context: BuildContext)
        throws -> ([any Analysis], [AnalysisWeights], [ConfigValue]) {
        guard let node else { return ([], [], []) }
        guard case .sequence(let items) = node.content else {
            throw node.error("expected a list of analyses, got \(node.summary)")
        }
        var analyses: [any Analysis] = []
        var weights: [AnalysisWeights] = []
        var resolved: [ConfigValue] = []
        for item in items {
            let (chosen, given, analysisNode) = try AnalysisWeights.split(item)
            let (analysis, value) = try registry.analyses.build(analysisNode, context: context)
            try checkLayer(of: analysis, in: network, at: item)
            if chosen == .initial, (analysis as? any ComparingAnalysis)?.comparesInitialWeights == true {
                throw item.error("weights: initial and compare_initial would compare the initial weights with themselves",
                                 allowed: "weights: trained (the default) with compare_initial")
            }
            analyses.append(analysis)
            weights.append(chosen)
            guard given, case .map(let entries) = value else {
                resolved.append(value)
                continue
            }
            resolved.append(.map(entries + [ConfigValue.Entry("weights", .string(chosen.rawValue))]))
        }
        return (analyses, weights, resolved)
    }

    /// An analysis of a named layer names one the network has, so a typo fails at its line before training.
    static func checkLayer(of analysis: any Analysis, in network: Network, at item: ConfigNode) throws {
        guard let layer = (analysis as? any LayerSelectingAnalysis)?.layer, !network.layerNames.contains(layer) else { return }
        throw (item["layer"] ?? item).error("no layer named '\(layer)'\(ConfigReader.suggestion(for: layer, among: network.layerNames))",
                                            allowed: network.layerNames.joined(separator: ", "))
    }

    /// A network of the same architecture as `network`, its parameters not
    /// yet initialised: for weights read from another checkpoint.
    public func newNetwork() throws -> Network {
        let model = try ConfigReader(modelNode)
        return try ModelBuilder.build(model, inputShape: dataset.sampleShape, context: modelContext)
    }

    /// The generator for shuffling and corruption at epoch 0.
    public var initialTrainingRNG: RandomGenerator { RandomGenerator(seed: seed).derived("train") }

    public var resolvedYAML: String {
        get throws { try YAMLConfigLoader.yaml(resolvedConfig) }
    }
}
