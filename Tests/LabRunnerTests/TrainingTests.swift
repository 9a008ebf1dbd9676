import Foundation
import Testing
import TestSupport
import LabCore
import LabIO
import LabModules
@testable import LabRunner

@Suite(.serialized) struct TrainingTests {
    func write(_ yaml: String, in folder: TemporaryDirectory) throws -> String {
        let path = folder.file("exp.yaml")
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func train(_ config: String, runDirectory: String, stopAt: Int? = nil) throws -> Trainer.Outcome {
        let pipeline = ExperimentPipeline(registry: BuiltinModules.registry)
        let (experiment, run) = try pipeline.prepare(config, runDirectory: runDirectory)
        return try pipeline.train(experiment, in: run, progress: ProgressReporter(totalEpochs: experiment.training.epochs, isTerminal: false, write: { _ in }),
                                stopAtEpoch: stopAt)
    }

    func metrics(_ run: String) throws -> [[Substring]] {
        try String(contentsOfFile: RunDirectory(path: run).metricsPath, encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",") }
    }

    @Test func smallAutoencoderMemorisesRandomPoints() throws {
        let folder = TemporaryDirectory()
        let config = try write("""
            name: memorise
            seed: 1
            data: {type: random, count: 6, shape: [32]}
            model:
              mlp: {width: 24, depth: 1}
            training:
              optimizer: {type: adam, learning_rate: 0.01}
              epochs: 400
              batch_size: 6
              checkpoint_every: 100
            """, in: folder)
        let run = folder.file("run")
        let outcome = try train(config, runDirectory: run)
        let rows = try metrics(run)
        #expect(rows.first == ["epoch", "loss", "seconds"])
        #expect(rows.count == 401)
        let first = Double(rows[1][1])!
        #expect(first > 0.05)
        #expect(outcome.bestLoss < first / 1000, "loss fell only from \(first) to \(outcome.bestLoss)")
        let best = try Checkpoint.read(from: RunDirectory(path: run).bestCheckpointPath)
        #expect(best.loss == outcome.bestLoss)
        #expect(try Checkpoint.read(from: RunDirectory(path: run).lastCheckpointPath).epoch == 400)
    }

    /// Stopping at a checkpoint and resuming ends with the same weights, optimizer
    /// state and metrics as one uninterrupted run; shuffling and noise included.
    @Test func resumeReproducesAnUninterruptedRunExactly() throws {
        let folder = TemporaryDirectory()
        let config = try write("""
            name: resume
            seed: 7
            data: {type: random, count: 10, shape: [20]}
            model:
              mlp: {width: 8, depth: 2}
            training:
              optimizer: {type: rmsprop, learning_rate: 0.003}
              epochs: 30
              batch_size: 4
              checkpoint_every: 10
              corruption: {type: gaussian_noise, std: 0.05}
            """, in: folder)
        let straight = folder.file("straight")
        let interrupted = folder.file("interrupted")
        _ = try train(config, runDirectory: straight)
        let partial = try train(config, runDirectory: interrupted, stopAt: 17)
        #expect(partial.finalEpoch == 17)
        #expect(try Checkpoint.read(from: RunDirectory(path: interrupted).lastCheckpointPath).epoch == 17)
        let resumed = try train(config, runDirectory: interrupted)
        #expect(resumed.resumedFromEpoch == 17 && resumed.epochsRun == 13)

        let a = try Checkpoint.read(from: RunDirectory(path: straight).lastCheckpointPath)
        let b = try Checkpoint.read(from: RunDirectory(path: interrupted).lastCheckpointPath)
        #expect(a.layers.map { $0.parameters.map(\.value) } == b.layers.map { $0.parameters.map(\.value) })
        #expect(a.optimizerState == b.optimizerState)
        #expect(a.rngState == b.rngState)
        #expect(try metrics(straight).map { $0.prefix(2) } == metrics(interrupted).map { $0.prefix(2) })

        // A finished run is left alone.
        #expect(try train(config, runDirectory: interrupted).epochsRun == 0)
    }

    @Test func theScheduleSetsTheRateOfEachEpoch() throws {
        let folder = TemporaryDirectory()
        let config = try write("""
            name: scheduled
            data: {type: random, count: 4, shape: [6]}
            model: {mlp: {width: 3, depth: 1}}
            training:
              optimizer: {type: sgd, learning_rate: 0.2}
              schedule: {type: step, every: 2, factor: 0.5}
              epochs: 5
              batch_size: 4
            """, in: folder)
        let pipeline = ExperimentPipeline(registry: BuiltinModules.registry)
        let (experiment, run) = try pipeline.prepare(config, runDirectory: folder.file("run"))
        _ = try pipeline.train(experiment, in: run, progress: ProgressReporter(totalEpochs: 5, isTerminal: false, write: { _ in }))
        #expect(experiment.optimizer.learningRate == 0.05)  // epoch 5: 0.2 x 0.5 x 0.5
    }

    @Test func aRunDirectoryOfAnotherExperimentIsRefused() throws {
        let folder = TemporaryDirectory()
        let yaml = """
            name: clash
            data: {type: random, count: 2, shape: [4]}
            model: {mlp: {width: 2, depth: 1}}
            training: {optimizer: sgd, epochs: 2, batch_size: 2}
            """
        let config = try write(yaml, in: folder)
        let run = folder.file("run")
        _ = try train(config, runDirectory: run)
        let before = try String(contentsOfFile: RunDirectory(path: run).configPath, encoding: .utf8)
        _ = try write(yaml.replacingOccurrences(of: "width: 2", with: "width: 3"), in: folder)
        let error = #expect(throws: RunError.self) { try train(config, runDirectory: run) }
        #expect(error?.description.contains("holds a different experiment ('width: 2', now 'width: 3')") == true)
        #expect(try String(contentsOfFile: RunDirectory(path: run).configPath, encoding: .utf8) == before)
    }
}
