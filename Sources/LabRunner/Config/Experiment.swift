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
    /// What it needs in memory at its peak; composing refuses more than the limit.
    public let memoryEstimate: MemoryEstimate
    /// What built `network`, to build another like it (`newNetwork()`).
    private let modelNode: ConfigNode
    private let modelContext: BuildContext

    /// `memoryLimit` in bytes defaults to the machine's physical memory;
    /// without `initializingParameters` the network is composed but its
    /// parameters are not drawn (nor allocated), for checking a config.
    public init(config root: ConfigNode, registry: Registry, baseDirectory: String, source: String,
                memoryLimit: Double = MemoryEstimate.physicalMemory, initializingParameters: Bool = true) throws {
        let config = try ConfigReader(root, keys: ["name", "seed", "data", "model", "training", "evaluation", "analyses"])
        self.source = source
        // Blocks are composed one after another, each as far as the blocks it
        // needs allow, so every independent mistake is reported at once.
        var problems = ConfigProblems()
        problems.add(config.undeclaredKeys())
        let name = try problems.attempt { try Self.readName(config) }
        let seed = try problems.attempt { UInt64(try config.int("seed", default: 0, range: .nonNegative)) } ?? 0
        var context = BuildContext(registry: registry, baseDirectory: baseDirectory, seed: seed)

        let dataNode = config.node("data")
        let dataset = try problems.attempt { try Self.buildDataset(dataNode, of: config, context: context) }
        context.inputShape = dataset?.sampleShape ?? []
        let modelNode = config.node("model")
        if dataset == nil, let modelNode {
            problems.add(ModelBuilder.undeclaredKeys(of: modelNode, registry: registry))
        }
        let model = try problems.attempt { () -> (Network, [ConfigNode])? in
            guard let dataset, let dataNode else { return nil }
            return try Self.buildModel(of: config, dataset: dataset, dataNode: dataNode, context: context)
        }

        let trainingModules = try TrainingModules(reading: config, hasData: dataset != nil, network: model?.0,
                                                  baseDirectory: baseDirectory, context: context, problems: &problems)

        let evaluation = try problems.attempt { () -> HeldoutEvaluation? in
            guard let evaluationNode = config.node("evaluation"), let dataset else { return nil }
            let (evaluation, resolved) = try HeldoutEvaluation.read(evaluationNode, trainingShape: dataset.sampleShape, context: context)
            config.record("evaluation", resolved)
            return evaluation
        } ?? nil

        context.corruption = trainingModules.corruption
        (context.loss, context.labels) = (trainingModules.loss, dataset?.labels)
        let analyses = Self.readAnalyses(of: config, hasData: dataset != nil, network: model?.0, context: context,
                                         problems: &problems)
        _ = try problems.attempt { try config.finish() }
        try problems.throwIfAny()

        guard let name, let dataset, let dataNode, let (network, layerSources) = model, let loss = trainingModules.loss,
              let optimizer = trainingModules.optimizer, let schedule = trainingModules.schedule,
              let training = trainingModules.settings, let regularizers = trainingModules.regularizers,
              let trainingConfig = trainingModules.reader else {
            preconditionFailure("a block failed without an error")
        }
        self.name = name
        self.seed = seed
        self.dataset = dataset
        self.network = network
        self.loss = loss
        self.optimizer = optimizer
        baseLearningRate = Double(optimizer.learningRate)
        self.schedule = schedule
        self.training = training
        corruption = trainingModules.corruption
        self.regularizers = regularizers
        initialWeights = trainingModules.initialWeights
        self.evaluation = evaluation
        self.analyses = analyses.map(\.analysis)
        analysisWeights = analyses.map(\.weights)
        (self.modelNode, modelContext) = (config.node("model")!, context)
        resolvedConfig = config.resolvedValue

        memoryEstimate = MemoryEstimate(MemoryEstimate.Inputs(
            network: network, layerSources: layerSources, dataset: dataset, dataNode: dataNode,
            optimizerSlots: optimizer.slotNames.count, batchSize: training.batchSize,
            batchNode: trainingConfig.located("batch_size"), analyses: analyses.map { ($0.analysis, $0.node) }))
        try memoryEstimate.check(limit: memoryLimit)

        guard initializingParameters else { return }
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

    /// The run's name, which names its directory.
    static func readName(_ config: ConfigReader) throws -> String {
        let name = try config.string("name")
        guard !name.isEmpty, name.count <= 200, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }),
              !name.hasPrefix(".") else {
            let shown = name.count > 40 ? name.prefix(40) + "… (\(name.count) characters)" : Substring(name)
            throw config.located("name").error("'\(shown)' cannot name a run directory",
                                               allowed: "up to 200 letters, digits, '-', '_', '.', not starting with '.'")
        }
        return name
    }

    static func buildDataset(_ node: ConfigNode?, of config: ConfigReader, context: BuildContext) throws -> any Dataset {
        guard let node else { throw config.missing("data", expected: "a dataset") }
        let (dataset, resolved) = try context.registry.datasets.build(node, context: context)
        config.record("data", resolved)
        guard dataset.count > 0 else {
            throw node.error("the dataset holds no samples", allowed: "a split, first, per_class and exclude that keep at least one")
        }
        return dataset
    }

    /// The network and the config node each of its layers grows with.
    static func buildModel(of config: ConfigReader, dataset: any Dataset, dataNode: ConfigNode,
                           context: BuildContext) throws -> (Network, [ConfigNode]) {
        guard let modelNode = config.node("model") else { throw config.missing("model", expected: "'layers' or 'mlp'") }
        let model = try ConfigReader(modelNode, keys: ModelBuilder.modelKeys)
        let undeclared = model.undeclaredKeys()
        try ConfigErrors.throwIfAny(undeclared)
        let built = try ModelBuilder.build(model, inputShape: dataset.sampleShape, inputSource: dataNode["shape"] ?? dataNode,
                                           context: context)
        try model.finish()
        config.record("model", model.resolvedValue)
        return built
    }

    /// The `analyses` list, recorded resolved; without data only its unknown keys can be checked.
    static func readAnalyses(of config: ConfigReader, hasData: Bool, network: Network?, context: BuildContext,
                             problems: inout ConfigProblems) -> [AnalysisEntry] {
        let node = config.node("analyses")
        guard hasData else {
            if case .sequence(let items)? = node?.content {
                problems.add(items.flatMap { context.registry.analyses.undeclaredKeys(in: (try? AnalysisWeights.split($0))?.2 ?? $0) })
            }
            return []
        }
        let (built, resolved, errors) = buildAnalyses(node, of: network, registry: context.registry, context: context)
        problems.add(errors)
        config.record("analyses", .list(resolved))
        return built
    }

    /// An analysis of the list, its entry, and the weights it studies.
    typealias AnalysisEntry = (analysis: any Analysis, node: ConfigNode, weights: AnalysisWeights)

    /// Each analysis of the list with its resolved entry (`weights` among its
    /// keys only when given, so other configs resolve as before), and the
    /// errors of those that could not be built (each on its own). Layer
    /// names are checked when the network could be built.
    static func buildAnalyses(_ node: ConfigNode?, of network: Network?, registry: Registry, context: BuildContext)
        -> ([AnalysisEntry], [ConfigValue], [any Error]) {
        guard let node else { return ([], [], []) }
        guard case .sequence(let items) = node.content else {
            return ([], [], [node.error("expected a list of analyses, got \(node.summary)")])
        }
        var analyses: [AnalysisEntry] = []
        var resolved: [ConfigValue] = []
        var errors: [any Error] = []
        for item in items {
            do {
                let (entry, value) = try buildAnalysis(item, of: network, registry: registry, context: context)
                analyses.append(entry)
                resolved.append(value)
            } catch {
                errors.append(error)
            }
        }
        return (analyses, resolved, errors)
    }

    static func buildAnalysis(_ item: ConfigNode, of network: Network?, registry: Registry, context: BuildContext)
        throws -> (AnalysisEntry, ConfigValue) {
        let (chosen, given, analysisNode) = try AnalysisWeights.split(item)
        let (analysis, value) = try registry.analyses.build(analysisNode, context: context)
        if let network { try checkLayer(of: analysis, in: network, at: item) }
        if chosen == .initial, (analysis as? any ComparingAnalysis)?.comparesInitialWeights == true {
            throw item.error("weights: initial and compare_initial would compare the initial weights with themselves",
                             allowed: "weights: trained (the default) with compare_initial")
        }
        guard given, case .map(let entries) = value else { return ((analysis, item, chosen), value) }
        return ((analysis, item, chosen), .map(entries + [ConfigValue.Entry("weights", .string(chosen.rawValue))]))
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
        let model = try ConfigReader(modelNode, keys: ModelBuilder.modelKeys)
        return try ModelBuilder.build(model, inputShape: dataset.sampleShape, inputSource: modelNode, context: modelContext).0
    }

    /// The generator for shuffling and corruption at epoch 0.
    public var initialTrainingRNG: RandomGenerator { RandomGenerator(seed: seed).derived("train") }

    public var resolvedYAML: String {
        get throws { try YAMLConfigLoader.yaml(resolvedConfig) }
    }
}
