import Foundation
import Testing
import TestSupport
import LabCore
import LabIO
import LabModules
@testable import LabRunner

/// `parameterization: ntk` from a config: the mlp passes it to every dense
/// layer, a scale without it is an error at its line, and it is what lets
/// full-batch SGD at the theory papers' learning rates train a wide net.
@Suite(.serialized) struct NTKParameterizationConfigTests {
    static func yaml(width: Int = 8, model: String, learningRate: Double = 5, epochs: Int = 3) -> String {
        """
        name: ntk
        seed: 2
        data: {type: random, count: 5, shape: [32], distribution: sphere, radius: 5}
        model:
          mlp: {width: \(width), depth: 2, activation: sigmoid, \(model)}
        training:
          loss: mse
          optimizer: {type: sgd, learning_rate: \(learningRate)}
          epochs: \(epochs)
          batch_size: 5
          shuffle: false
          checkpoint_every: \(epochs)
        analyses: []
        """
    }

    static let ntk = "parameterization: ntk, weight_scale: 2, bias_scale: 0.1, kernel_initializer: normal, bias_initializer: normal"

    func compose(_ yaml: String) throws -> Experiment {
        try Experiment(config: try YAMLConfigLoader.parse(yaml, file: "exp.yaml"), registry: BuiltinModules.registry,
                       baseDirectory: ".", source: "exp.yaml")
    }

    @Test func mlpGivesEveryDenseLayerTheParameterisation() throws {
        let experiment = try compose(Self.yaml(model: Self.ntk))
        let dense = experiment.network.layers.compactMap { $0 as? Dense }
        #expect(dense.count == 3)
        for layer in dense {
            let fanIn = Float(layer.inputShape[0])
            #expect(abs(layer.parameterization.kernelMultiplier - 2 / fanIn.squareRoot()) < 1e-6)
            #expect(abs(layer.parameterization.biasMultiplier - 0.1) < 1e-7)
        }
        let mlp = experiment.resolvedConfig.value(at: "model")?.value(at: "mlp")
        #expect(mlp?.value(at: "parameterization") == .string("ntk"))
        #expect(mlp?.value(at: "weight_scale") == .double(2))
    }

    @Test func aScaleWithoutNTKIsAnErrorAtItsLine() {
        do {
            _ = try compose(Self.yaml(model: "weight_scale: 2"))
            Issue.record("composed")
        } catch {
            let message = String(describing: error)
            #expect(message.contains("exp.yaml:5:"), "\(message)")
            #expect(message.contains("weight_scale applies to parameterization: ntk only"), "\(message)")
        }
    }

    /// Five points of norm 5 through a width-2,000 sigmoid net at lr 5: the
    /// ntk form's loss falls from the first step; PyTorch's default init,
    /// whose output step is stable only below lr ~ 4d/width = 0.06 here,
    /// throws it up by orders of magnitude.
    @Test func fullBatchSGDAtLearningRateFiveIsStableOnlyUnderNTK() throws {
        let ntk = try losses(Self.yaml(width: 2000, model: Self.ntk, epochs: 20))
        #expect(ntk.allSatisfy { $0.isFinite })
        #expect(zip(ntk, ntk.dropFirst()).allSatisfy { $1 < $0 }, "\(ntk)")
        let standard = try losses(Self.yaml(width: 2000, model: "kernel_initializer: pytorch_linear, bias_initializer: pytorch_linear",
                                            epochs: 3))
        #expect(!(standard.max()! < 100 * standard[0]), "\(standard)")
    }

    func losses(_ yaml: String) throws -> [Double] {
        let folder = try TemporaryDirectory()
        let config = folder.file("exp.yaml")
        try yaml.write(toFile: config, atomically: true, encoding: .utf8)
        let pipeline = ExperimentPipeline(registry: BuiltinModules.registry)
        let (experiment, run) = try pipeline.prepare(config, runDirectory: folder.file("run"))
        let progress = ProgressReporter(totalEpochs: experiment.training.epochs, isTerminal: false, write: { _ in })
        _ = try pipeline.complete(experiment, in: run, progress: progress, stopAtEpoch: nil)
        return try String(contentsOfFile: run.metricsPath, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { Double($0.split(separator: ",")[1]) ?? .infinity }
    }
}
