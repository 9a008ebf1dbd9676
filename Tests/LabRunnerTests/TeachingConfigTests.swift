import Foundation
import LabCore
import LabModules
import Testing

@testable import LabRunner

/// The teaching configs (Configs/neuromatch, Configs/fashion-mnist) follow
/// the exercises they claim: architecture, activations, loss, optimizer,
/// learning rate, batch, epochs and the analyses the report draws. Composed
/// on a few images, so nothing large is read twice.
@Suite struct TeachingConfigTests {
    static func experiment(_ file: String, extra: [String] = []) throws -> Experiment {
        let path = "\(ShippedConfigTests.configsFolder)/\(file)"
        let mnist = file.hasPrefix("neuromatch/") ? ["data.directory=\(ShippedConfigTests.mnistSubset)"] : []
        return try ExperimentBuilder(registry: BuiltinModules.registry).experiment(
            configFile: path, overrides: (mnist + ["data.first=64"] + extra).map(CommandLineOverride.parse))
    }

    func layers(_ experiment: Experiment) -> [String] {
        experiment.network.layers.map { layer in (layer as? Dense).map { "dense \($0.units)" } ?? layer.typeName }
    }

    func adam(_ experiment: Experiment, learningRate: Float, batch: Int, epochs: Int) throws {
        let adam = try #require(experiment.optimizer as? Adam)
        #expect(adam.learningRate == learningRate && experiment.training.batchSize == batch && experiment.training.epochs == epochs)
        #expect(experiment.loss is BinaryCrossEntropy)
    }

    @Test func neuromatchShallowIsTwoUnitsBesidePCA() throws {
        let experiment = try Self.experiment("neuromatch/shallow-2d.yaml")
        #expect(layers(experiment) == ["dense 2", "prelu", "dense 784", "sigmoid"])
        try adam(experiment, learningRate: 0.001, batch: 32, epochs: 10)
        #expect(experiment.analyses.map(\.typeName) == ["iterates", "latent_codes", "pca", "reconstructions"])
        #expect((experiment.analyses[2] as? PCAAnalysis)?.components == 2)
    }

    @Test func neuromatchDeepNetShowsNoisyOccludedAndRotatedDigits() throws {
        let experiment = try Self.experiment("neuromatch/bottleneck-2d.yaml")
        #expect(layers(experiment) == ["dense 392", "prelu", "dense 64", "prelu", "dense 2", "prelu",
                                       "dense 64", "prelu", "dense 392", "prelu", "dense 784", "sigmoid"])
        try adam(experiment, learningRate: 0.001, batch: 32, epochs: 10)
        let corruptions = experiment.analyses.compactMap { ($0 as? ReconstructionsAnalysis)?.corruption }
        #expect(corruptions.count == 3 && corruptions[0] is GaussianNoise && corruptions[1] is Occlusion)
        #expect((corruptions[2] as? Rotation)?.degrees == 90)
        let latent = try #require(experiment.analyses.compactMap { $0 as? LatentCodesAnalysis }.first)
        #expect((latent.corruption as? GaussianNoise)?.standardDeviation == 0.3)
    }

    @Test func theFineTunedNetMapsTheSameNoisyCodes() throws {
        let clean = try #require(try Self.experiment("neuromatch/bottleneck-2d.yaml").analyses.compactMap { $0 as? LatentCodesAnalysis }.first)
        let experiment = try Self.experiment("neuromatch/finetune-noisy.yaml")
        let tuned = try #require(experiment.analyses.compactMap { $0 as? LatentCodesAnalysis }.first)
        let (before, after) = (try #require(clean.corruption as? GaussianNoise), try #require(tuned.corruption as? GaussianNoise))
        #expect(before.standardDeviation == after.standardDeviation && before.clipRange == after.clipRange)
        #expect((experiment.corruption as? GaussianNoise)?.standardDeviation == 0.3)
    }

    @Test func neuromatchSphereCodeIsNormalised() throws {
        let experiment = try Self.experiment("neuromatch/sphere-3d.yaml")
        #expect(layers(experiment)[4...5] == ["dense 3", "normalize"])
        try adam(experiment, learningRate: 0.001, batch: 32, epochs: 10)
    }

    @Test(arguments: [
        ("fashion-mnist/shallow.yaml", ["dense 32", "relu", "dense 784", "sigmoid"]),
        ("fashion-mnist/deep.yaml", ["dense 128", "relu", "dense 32", "relu", "dense 128", "relu", "dense 784", "sigmoid"]),
        ("fashion-mnist/denoising.yaml", ["dense 128", "relu", "dense 32", "relu", "dense 128", "relu", "dense 784", "sigmoid"]),
        ("fashion-mnist/sparse-l1.yaml", ["dense 32", "relu", "dense 784", "sigmoid"]),
    ])
    func kerasDenseAutoencoders(file: String, expected: [String]) throws {
        let experiment = try Self.experiment(file, extra: ["evaluation.data.first=64"])
        #expect(layers(experiment) == expected)
        try adam(experiment, learningRate: 0.001, batch: 256, epochs: 10)
        #expect(experiment.evaluation != nil)
        #expect(experiment.analyses.map(\.typeName).filter { $0 != "iterates" } == ["reconstructions", "weights"])
    }

    @Test func theSparseAndDenoisingNetsPenaliseAndCorrupt() throws {
        let sparse = try Self.experiment("fashion-mnist/sparse-l1.yaml", extra: ["evaluation.data.first=64"])
        let penalty = try #require(sparse.regularizers.first as? L1ActivityPenalty)
        #expect(sparse.regularizers.count == 1 && penalty.layer == "relu_1" && penalty.weight == 1e-4)
        let denoising = try Self.experiment("fashion-mnist/denoising.yaml", extra: ["evaluation.data.first=64"])
        #expect((denoising.corruption as? GaussianNoise)?.standardDeviation == 0.2)
    }

    @Test func theConvNetDrawsItsFiltersAndNoisyReconstructions() throws {
        let experiment = try Self.experiment("fashion-mnist/conv.yaml", extra: ["evaluation.data.first=64"])
        #expect(layers(experiment) == ["conv2d", "relu", "maxpool2d", "conv2d", "relu", "maxpool2d", "conv2d", "relu",
                                       "upsample2d", "conv2d", "relu", "upsample2d", "conv2d", "sigmoid"])
        try adam(experiment, learningRate: 0.001, batch: 128, epochs: 5)
        #expect(experiment.corruption == nil && experiment.evaluation != nil)
        let reconstructions = try #require(experiment.analyses.compactMap { $0 as? ReconstructionsAnalysis }.first)
        #expect(reconstructions.corruption is GaussianNoise && experiment.analyses.last?.typeName == "weights")
    }

    /// Six bottleneck sizes at two depths, plotted as the final held-out loss.
    @Test func theBottleneckSweepPlotsHeldOutLossAgainstSize() throws {
        let plan = try SweepPlan(configFile: "\(ShippedConfigTests.configsFolder)/fashion-mnist/bottleneck-sweep.yaml")
        #expect(plan.gridKeys == ["model.mlp.width", "model.mlp.depth"] && plan.points.count == 12)
        let plot = try #require(plan.plots.first)
        #expect(plot.measure == .heldoutLoss && plot.x == "model.mlp.width" && plot.lines == "model.mlp.depth")
        let widths = plan.points.map { $0.coordinates[0].value }
        #expect(Set(widths) == ["2", "4", "8", "16", "32", "64"])
    }
}
