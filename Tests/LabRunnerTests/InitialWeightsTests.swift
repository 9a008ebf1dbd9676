import Foundation
import Testing
import TestSupport
import LabCore
import LabIO
import LabModules
@testable import LabRunner

/// `init.h5`: the weights before the first step, and analyses of them
/// (`weights: initial`, `compare_initial`), recorded as such in the results.
@Suite(.serialized) struct InitialWeightsTests {
    static let yaml = """
        name: initial
        seed: 11
        data: {type: random, count: 3, shape: [6], distribution: sphere, radius: 1}
        model:
          mlp: {width: 20, depth: 1, activation: sigmoid, kernel_initializer: pytorch_linear, bias_initializer: pytorch_linear}
        training:
          optimizer: {type: sgd, learning_rate: 1}
          epochs: 30
          batch_size: 3
        analyses:
          - {type: jacobian_spectrum, weights: initial, operator_norm: true}
          - {type: jacobian_spectrum, compare_initial: true, operator_norm: true, band: 0.1}
        """

    let builder = ExperimentBuilder(registry: BuiltinModules.registry)

    func completedRun(in folder: TemporaryDirectory) throws -> (Experiment, RunDirectory) {
        let config = folder.file("exp.yaml")
        try Self.yaml.write(toFile: config, atomically: true, encoding: .utf8)
        let pipeline = ExperimentPipeline(registry: BuiltinModules.registry)
        let (experiment, run) = try pipeline.prepare(config, runDirectory: folder.file("run"))
        _ = try pipeline.complete(experiment, in: run, progress: ProgressReporter(totalEpochs: 30, isTerminal: false, write: { _ in }))
        return (experiment, run)
    }

    @Test func initH5HoldsTheWeightsTheRunStartedFrom() throws {
        let folder = TemporaryDirectory()
        let (_, run) = try completedRun(in: folder)
        let initial = try Checkpoint.read(from: run.initialCheckpointPath)
        #expect(initial.epoch == 0 && initial.stop == nil)
        // The same config and seed build the same network: init.h5 must be its weights, bit for bit.
        let rebuilt = try builder.experiment(configFile: folder.file("exp.yaml"))
        let stored = initial.layers.flatMap { $0.parameters.map(\.value) }
        #expect(stored == rebuilt.network.parameters.map(\.value))
        #expect(stored.map(\.count).reduce(0, +) == rebuilt.network.parameterCount)
        let trained = try Checkpoint.read(from: run.lastCheckpointPath).layers.flatMap { $0.parameters.map(\.value) }
        #expect(trained != stored)
        // Restored into a network, init.h5 gives training's first step the loss metrics.csv logged for epoch 1.
        try initial.restoreWeights(into: rebuilt.network, file: run.initialCheckpointPath)
        let first = try String(contentsOfFile: run.metricsPath, encoding: .utf8).split(separator: "\n")[1].split(separator: ",")[1]
        let loss = try rebuilt.loss.evaluate(prediction: rebuilt.network(rebuilt.dataset.allSamples()), target: rebuilt.dataset.allSamples()).value
        #expect(abs(loss - Double(first)!) <= 1e-6 * Double(first)!)
    }

    @Test func analysesOfTheInitialWeightsSayWhichWeightsTheyUsed() throws {
        let folder = TemporaryDirectory()
        let (experiment, run) = try completedRun(in: folder)
        #expect(experiment.analysisWeights == [.initial, .trained])
        #expect(try String(contentsOfFile: run.configPath, encoding: .utf8).contains("weights: initial"))
        let results = try #require(try ResultsFile(run: run).read())
        #expect(results.analyses.map(\.weights) == ["init.h5", "last.h5"])
        #expect(results.analyses.map(\.initialWeights) == [nil, "init.h5"])
        let file = ResultsFile(run: run)
        func array(_ name: String, _ analysis: String) throws -> [Float] { try file.array(name, of: analysis)?.scalars ?? [] }
        let atInit = try array("spectral_radius", "jacobian_spectrum")
        #expect(atInit.count == 3)
        #expect(try array("spectral_radius_initial", "jacobian_spectrum_2") == atInit)
        #expect(try array("operator_norm_initial", "jacobian_spectrum_2") == array("operator_norm", "jacobian_spectrum"))
        let trained = try array("spectral_radius", "jacobian_spectrum_2")
        let change = try array("spectral_radius_change", "jacobian_spectrum_2")
        #expect(change.count == 3 && zip(change, zip(trained, atInit)).allSatisfy { abs($0 - ($1.0 - $1.1)) < 1e-6 })
        #expect(try array("near_one_count", "jacobian_spectrum_2").count == 3)

        // `aelab analyze --checkpoint init` is the same as weights: initial.
        let findings = try CheckpointAnalyzer(experiment: experiment, run: run).analyze(checkpoint: run.initialCheckpointPath)
        #expect(findings.map(\.weights) == ["init.h5", "init.h5"])
        let reread = try #require(try ResultsFile(run: run).read())
        #expect(reread.checkpoint == "init.h5" && reread.epoch == 0)
        #expect(try array("spectral_radius", "jacobian_spectrum_2") == atInit)
    }

    @Test func aRunWithoutInitH5SaysSoWhenAnAnalysisNeedsIt() throws {
        let folder = TemporaryDirectory()
        let (experiment, run) = try completedRun(in: folder)
        try FileManager.default.removeItem(atPath: run.initialCheckpointPath)
        let error = #expect(throws: RunError.self) {
            try CheckpointAnalyzer(experiment: experiment, run: run).analyze(checkpoint: run.lastCheckpointPath)
        }
        #expect(error?.description.contains("init.h5: no such checkpoint (an analysis asks for the initial weights") == true)
    }

    @Test func theWeightsKeyIsValidated() throws {
        func error(_ analysis: String) -> String {
            let yaml = Self.yaml.components(separatedBy: "analyses:")[0] + "analyses:\n  - \(analysis)\n"
            do {
                _ = try Experiment(config: try YAMLConfigLoader.parse(yaml, file: "exp.yaml"), registry: BuiltinModules.registry,
                                   baseDirectory: ".", source: "exp.yaml")
                return "no error"
            } catch {
                return String(describing: error)
            }
        }
        #expect(error("{type: jacobian_spectrum, weights: first}")
            .contains("analyses[0].weights: expected which weights to analyse, got 'first' (allowed: trained, initial)"))
        #expect(error("{type: jacobian_spectrum, weights: initial, compare_initial: true}")
            .contains("weights: initial and compare_initial would compare the initial weights with themselves"))
        #expect(error("{type: fixed_points, weights: initial}") == "no error")
        #expect(error("{type: jacobian_spectrum, band: 0}").contains("analyses[0].band: 0 is out of range"))
    }
}
