import Foundation
import Testing
import TestSupport
import LabCore
import LabIO
import LabModules
@testable import LabRunner

/// Jiang & Pehlevan's one-point protocol, pinned on the composed modules of
/// Configs/jiang-pehlevan/one-point-norm.yaml (NTK parameterisation) and
/// one-point-pytorch-init.yaml (PyTorch's default init), and the runs
/// themselves: they stop below 1e-7 and report the spectrum at initialisation
/// and after training.
@Suite(.serialized) struct JiangPehlevanConfigTests {
    static let folder = ShippedConfigTests.configsFolder + "/jiang-pehlevan/"

    /// The 32 -> 1000 -> 32 sigmoid net on one point of norm 1, full-batch
    /// SGD at lr 1 on the MSE until 1e-7, both spectra; returns the two dense layers.
    func composeProtocol(_ file: String) throws -> (hidden: Dense, output: Dense) {
        let experiment = try ExperimentBuilder(registry: BuiltinModules.registry).experiment(configFile: Self.folder + file)
        let points = experiment.dataset.allSamples()
        #expect(points.shape == [1, 32])
        #expect(abs(points.scalars.reduce(0.0) { $0 + Double($1 * $1) }.squareRoot() - 1) < 1e-6)
        let layers = experiment.network.layers
        #expect(layers.map(\.typeName) == ["dense", "sigmoid", "dense"])
        let (hidden, output) = (try #require(layers[0] as? Dense), try #require(layers[2] as? Dense))
        #expect(hidden.units == 1000 && output.units == 32)
        let sgd = try #require(experiment.optimizer as? StochasticGradientDescent)
        #expect(sgd.learningRate == 1 && sgd.momentum == 0)
        #expect(experiment.loss is MeanSquaredError)
        #expect(experiment.training.batchSize >= experiment.dataset.count && experiment.training.stopLossBelow == 1e-7)
        let spectrum = try #require(experiment.analyses.first as? JacobianSpectrumAnalysis)
        #expect(spectrum.comparesInitialWeights && spectrum.spectrum.route == .full && spectrum.band == 0.1)
        return (hidden, output)
    }

    @Test func theNTKConfigFollowsTheProtocol() throws {
        let (hidden, output) = try composeProtocol("one-point-norm.yaml")
        for (layer, fanIn) in [(hidden, 32), (output, 1000)] {
            #expect(layer.parameterization == .ntk(inputSize: fanIn, weightScale: 2.0.squareRoot(), biasScale: 0.1))
            // Unit Gaussian draws: 32,000 kernel values, within a few standard errors of N(0, 1).
            let kernel = layer.kernel.value.scalars.map(Double.init)
            let mean = kernel.reduce(0, +) / Double(kernel.count)
            #expect(abs(mean) < 0.05 && abs(kernel.map { $0 * $0 }.reduce(0, +) / Double(kernel.count) - 1) < 0.05)
        }
    }

    @Test func thePyTorchInitConfigFollowsTheProtocol() throws {
        let (hidden, output) = try composeProtocol("one-point-pytorch-init.yaml")
        // PyTorch's nn.Linear: weights and biases uniform in ±1/sqrt(fan_in).
        for (layer, fanIn) in [(hidden, 32), (output, 1000)] {
            #expect(layer.parameterization == .standard)
            let bound = 1 / Float(fanIn).squareRoot()
            for parameter in [layer.kernel, try #require(layer.bias)] {
                #expect(parameter.value.scalars.allSatisfy { abs($0) <= bound })
                #expect(parameter.value.scalars.contains { abs($0) > 0.95 * bound })
            }
        }
    }

    /// The summary of the run's jacobian_spectrum after it stopped below 1e-7.
    func runSummary(_ file: String) throws -> [String: Double] {
        let folder = TemporaryDirectory()
        let pipeline = ExperimentPipeline(registry: BuiltinModules.registry)
        let (experiment, run) = try pipeline.prepare(Self.folder + file, runDirectory: folder.file("run"))
        let (outcome, findings) = try pipeline.complete(experiment, in: run,
                                                        progress: ProgressReporter(totalEpochs: 1, isTerminal: false, write: { _ in }))
        #expect(outcome.stop == .lossBelow && outcome.finalLoss < 1e-7 && outcome.finalEpoch < 1000)
        let summary = try #require(findings?.first?.result.summary)
        var values: [String: Double] = [:]
        for entry in summary { values[entry.key] = entry.value.doubleValue }
        #expect(values["operator_norm_median"].flatMap { norm in values["radius_median"].map { norm >= $0 } } == true)
        return values
    }

    /// The paper's claim for the 2-layer sigmoid net: at initialisation the
    /// largest modulus is near 1/2 for a small input (sigma_w^2 sigmoid'(0)
    /// by the circular law); one point trains lazily, the radius barely moves.
    @Test func theNTKRunStartsNearOneHalfAndStaysThere() throws {
        let values = try runSummary("one-point-norm.yaml")
        #expect(values["radius_initial_median"].map { (0.45...0.6).contains($0) } == true, "\(values)")
        #expect(values["radius_change_median"].map { abs($0) < 0.05 } == true, "\(values)")
    }

    /// Under PyTorch's init J at initialisation is a small random matrix
    /// (radius sigmoid'(b)/3 ~ 0.08 by the circular law); lr 1 moves it.
    @Test func thePyTorchInitRunStartsNearATwelfth() throws {
        let values = try runSummary("one-point-pytorch-init.yaml")
        #expect(values["radius_initial_median"].map { (0.05...0.15).contains($0) } == true, "\(values)")
        #expect(values["radius_median"].map { $0 > 0 && $0.isFinite } == true)
    }
}
