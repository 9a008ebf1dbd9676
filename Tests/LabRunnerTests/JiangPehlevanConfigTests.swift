import Foundation
import Testing
import TestSupport
import LabCore
import LabIO
import LabModules
@testable import LabRunner

/// Jiang & Pehlevan's one-point protocol, pinned on the composed modules of
/// Configs/jiang-pehlevan/one-point-norm.yaml, and the run itself: it stops
/// below 1e-7 and reports the spectrum at initialisation and after training.
@Suite(.serialized) struct JiangPehlevanConfigTests {
    static let path = ShippedConfigTests.configsFolder + "/jiang-pehlevan/one-point-norm.yaml"

    @Test func theConfigFollowsTheProtocol() throws {
        let experiment = try ExperimentBuilder(registry: BuiltinModules.registry).experiment(configFile: Self.path)
        let points = experiment.dataset.allSamples()
        #expect(points.shape == [1, 32])
        #expect(abs(points.scalars.reduce(0.0) { $0 + Double($1 * $1) }.squareRoot() - 1) < 1e-6)
        let layers = experiment.network.layers
        #expect(layers.map(\.typeName) == ["dense", "sigmoid", "dense"])
        let (hidden, output) = (try #require(layers[0] as? Dense), try #require(layers[2] as? Dense))
        #expect(hidden.units == 1000 && output.units == 32)
        // PyTorch's nn.Linear: weights and biases uniform in ±1/sqrt(fan_in).
        for (layer, fanIn) in [(hidden, 32), (output, 1000)] {
            let bound = 1 / Float(fanIn).squareRoot()
            for parameter in [layer.kernel, try #require(layer.bias)] {
                #expect(parameter.value.scalars.allSatisfy { abs($0) <= bound })
                #expect(parameter.value.scalars.contains { abs($0) > 0.95 * bound })
            }
        }
        let sgd = try #require(experiment.optimizer as? StochasticGradientDescent)
        #expect(sgd.learningRate == 1 && sgd.momentum == 0)
        #expect(experiment.loss is MeanSquaredError)
        #expect(experiment.training.batchSize >= experiment.dataset.count && experiment.training.stopLossBelow == 1e-7)
        let spectrum = try #require(experiment.analyses.first as? JacobianSpectrumAnalysis)
        #expect(spectrum.comparesInitialWeights && spectrum.spectrum.route == .full && spectrum.band == 0.1)
    }

    @Test func theRunStopsBelowTheThresholdWithBothSpectra() throws {
        let folder = TemporaryDirectory()
        let pipeline = ExperimentPipeline(registry: BuiltinModules.registry)
        let (experiment, run) = try pipeline.prepare(Self.path, runDirectory: folder.file("run"))
        let (outcome, findings) = try pipeline.complete(experiment, in: run,
                                                        progress: ProgressReporter(totalEpochs: 1, isTerminal: false, write: { _ in }))
        #expect(outcome.stop == .lossBelow && outcome.finalLoss < 1e-7 && outcome.finalEpoch < 1000)
        let summary = try #require(findings?.first?.result.summary)
        func value(_ key: String) -> Double? { summary.first { $0.key == key }?.value.doubleValue }
        // At init J is a small random matrix (radius ~0.09 by the circular law); training moves it.
        #expect(value("radius_initial_median").map { (0.05...0.15).contains($0) } == true)
        #expect(value("radius_median").map { $0 > 0 && $0.isFinite } == true)
        #expect(value("operator_norm_median").flatMap { norm in value("radius_median").map { norm >= $0 } } == true)
    }
}
