import Foundation
import Testing
import TestSupport
import LabCore
import LabIO
import LabModules
@testable import LabRunner

/// A checkpoint's metadata is checked before a run resumes from it or
/// analyses it: edited or foreign attributes give an error naming the file
/// and the attribute, and nothing trains.
@Suite(.serialized) struct CheckpointTrustTests {
    static func config(seed: Int = 3, analyses: String = "[fixed_points]") -> String {
        """
        name: trust
        seed: \(seed)
        data: {type: random, count: 4, shape: [12]}
        model:
          mlp: {width: 6, depth: 1}
        training:
          optimizer: {type: rmsprop, learning_rate: 0.001}
          epochs: 20
          batch_size: 4
          checkpoint_every: 5
        analyses: \(analyses)
        """
    }

    let folder = TemporaryDirectory()
    let pipeline = ExperimentPipeline(registry: BuiltinModules.registry)
    let silent = ProgressReporter(totalEpochs: 20, isTerminal: false, write: { _ in })

    func experiment(_ yaml: String = config(), file: String = "exp.yaml") throws -> (Experiment, RunDirectory) {
        try yaml.write(toFile: folder.file(file), atomically: true, encoding: .utf8)
        return try pipeline.prepare(folder.file(file), runDirectory: folder.file("run"))
    }

    /// A run stopped at epoch 10, its `last.h5` then changed by `forge`; the error resuming it.
    func resumeError(_ forge: (HDF5File) throws -> Void) throws -> String? {
        let (experiment, run) = try experiment()
        try? FileManager.default.removeItem(atPath: run.path)
        _ = try pipeline.train(experiment, in: run, progress: silent, stopAtEpoch: 10)
        let file = try HDF5File.openForUpdating(run.lastCheckpointPath)
        try forge(file)
        try file.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: run.metricsPath))
        let error = #expect(throws: FileError.self) { try pipeline.train(experiment, in: run, progress: silent) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: run.metricsPath)) == before, "training went on")
        return error?.description
    }

    @Test(arguments: [Int64(-5), 99_999, 21])
    func anEpochOutsideTheRunsEpochsIsRefused(epoch: Int64) throws {
        let error = try resumeError { try $0.setAttribute("epoch", epoch) }
        #expect(error == "\(folder.file("run/last.h5")): attribute 'epoch' is \(epoch) (allowed: an integer from 0 to 20, the run's training.epochs)")
    }

    @Test func aFractionalEpochIsRefusedNotTruncated() throws {
        let error = try resumeError { try $0.setAttribute("epoch", 10.5) }
        #expect(error == "\(folder.file("run/last.h5")): attribute 'epoch' is 10.5, not an integer (allowed: an integer)")
    }

    @Test func anRNGStateThatIsNotFourWordsIsRefused() throws {
        let error = try resumeError { try $0.setAttribute("rng_state", [UInt64(1), 2]) }
        #expect(error == "\(folder.file("run/last.h5")): rng_state must be four words, not all zero; got [1, 2]")
    }

    @Test func optimizerSlotsOfOtherShapesAreRefused() throws {
        let (experiment, run) = try experiment()
        _ = try pipeline.train(experiment, in: run, progress: silent, stopAtEpoch: 10)
        let wrong = OptimizerState(iterations: 30, slots: experiment.network.parameters.map { _ in
            experiment.optimizer.slotNames.map { _ in Tensor(zeros: [1]) }
        })
        try Checkpoint(network: experiment.network, optimizer: experiment.optimizer, epoch: 10, loss: 1, trainingSeconds: 1,
                       seed: 3, rng: RandomGenerator(seed: 1), config: try experiment.resolvedYAML, optimizerState: wrong)
            .write(to: run.lastCheckpointPath)
        let error = #expect(throws: FileError.self) { try pipeline.train(experiment, in: run, progress: silent) }
        #expect(error?.description == "\(run.lastCheckpointPath): optimizer slots do not match the network's parameters")
    }

    @Test func aNegativeOptimizerStepCountIsRefused() throws {
        let (experiment, run) = try experiment()
        _ = try pipeline.train(experiment, in: run, progress: silent, stopAtEpoch: 10)
        let state = OptimizerState(iterations: -3, slots: experiment.optimizer.state.slots)
        try Checkpoint(network: experiment.network, optimizer: experiment.optimizer, epoch: 10, loss: 1, trainingSeconds: 1,
                       seed: 3, rng: RandomGenerator(seed: 1), config: try experiment.resolvedYAML, optimizerState: state)
            .write(to: run.lastCheckpointPath)
        let error = #expect(throws: FileError.self) { try pipeline.train(experiment, in: run, progress: silent) }
        #expect(error?.description == "\(run.lastCheckpointPath): dataset '/optimizer_weights/rmsprop/iterations' is -3 (allowed: an integer >= 0)")
    }

    @Test func aCheckpointOfAnotherExperimentIsNotResumed() throws {
        let other = try experiment(Self.config(seed: 4), file: "other.yaml").0.resolvedYAML
        let error = try resumeError { try $0.setAttribute("config", other) }
        #expect(error == "\(folder.file("run/last.h5")): attribute 'config' is another experiment's (line 2: 'seed: 4', where this run's config.yaml has 'seed: 3'); name a checkpoint of this run")
    }

    /// Analyses may come from another config; every other value must be the run's.
    @Test func analyzeRefusesAnotherExperimentsCheckpointButNotOtherAnalyses() throws {
        let (experiment, run) = try experiment()
        _ = try pipeline.train(experiment, in: run, progress: silent)
        let analyzer = CheckpointAnalyzer(experiment: experiment, run: run)
        let otherAnalyses = try self.experiment(Self.config(analyses: "[attractors]"), file: "analyses.yaml").0.resolvedYAML
        let otherSeed = try self.experiment(Self.config(seed: 4), file: "other.yaml").0.resolvedYAML
        for (config, accepted) in [(otherAnalyses, true), (otherSeed, false)] {
            let file = try HDF5File.openForUpdating(run.lastCheckpointPath)
            try file.setAttribute("config", config)
            try file.close()
            if accepted {
                #expect(try analyzer.analyze(checkpoint: run.lastCheckpointPath).map(\.name) == ["fixed_points"])
            } else {
                let error = #expect(throws: FileError.self) { try analyzer.analyze(checkpoint: run.lastCheckpointPath) }
                #expect(error?.description.hasPrefix("\(run.lastCheckpointPath): attribute 'config' is another experiment's (line 2: 'seed: 4'") == true, "\(String(describing: error))")
            }
        }
    }

    /// Weights of a diverged run: analyse refuses them by name, before LAPACK sees them.
    @Test func nonFiniteWeightsAreNamedBeforeAnyAnalysis() throws {
        let (experiment, run) = try experiment()
        _ = try pipeline.train(experiment, in: run, progress: silent)
        let kernel = experiment.network.parameters[0]
        kernel.value = Tensor(shape: kernel.value.shape, scalars: [Float](repeating: .nan, count: kernel.value.count))
        let forged = folder.file("nan.h5")
        try Checkpoint(network: experiment.network, optimizer: experiment.optimizer, epoch: 20, loss: .nan, trainingSeconds: 1,
                       seed: experiment.seed, rng: experiment.initialTrainingRNG, config: try experiment.resolvedYAML).write(to: forged)
        let error = #expect(throws: RunError.self) { try CheckpointAnalyzer(experiment: experiment, run: run).analyze(checkpoint: forged) }
        #expect(String(describing: error!) == "\(forged): the weights of dense_1 (kernel) hold NaN or Inf values; nothing to analyse (did training diverge?)")
    }
}
