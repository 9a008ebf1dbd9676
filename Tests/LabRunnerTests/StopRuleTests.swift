import Foundation
import Testing
import TestSupport
import LabCore
import LabIO
import LabModules
@testable import LabRunner

/// `training.stop.loss_below`: a run ends at the first epoch whose loss is
/// below the threshold, resumes across that epoch exactly, and is complete there.
@Suite(.serialized) struct StopRuleTests {
    static func yaml(stop: String, epochs: Int = 60) -> String {
        """
        name: stopping
        seed: 5
        data: {type: random, count: 4, shape: [8]}
        model:
          mlp: {width: 16, depth: 1, activation: sigmoid}
        training:
          optimizer: {type: sgd, learning_rate: 1}
          epochs: \(epochs)
          batch_size: 4
          shuffle: false
          checkpoint_every: 7
        \(stop)
        analyses:
          - jacobian_spectrum
        """
    }

    let pipeline = ExperimentPipeline(registry: BuiltinModules.registry)

    func complete(_ yaml: String, in folder: TemporaryDirectory, run name: String, stopAt: Int? = nil) throws
        -> (outcome: Trainer.Outcome, findings: [CheckpointAnalyzer.Finding]?, run: RunDirectory) {
        let config = folder.file("\(name).yaml")
        try yaml.write(toFile: config, atomically: true, encoding: .utf8)
        let (experiment, run) = try pipeline.prepare(config, runDirectory: folder.file(name))
        let progress = ProgressReporter(totalEpochs: experiment.training.epochs, isTerminal: false, write: { _ in })
        let (outcome, findings) = try pipeline.complete(experiment, in: run, progress: progress, stopAtEpoch: stopAt)
        return (outcome, findings, run)
    }

    /// The losses of every epoch of a run without a stop rule (metrics.csv).
    func losses(in folder: TemporaryDirectory) throws -> [Double] {
        let run = try complete(Self.yaml(stop: ""), in: folder, run: "plain").run
        return try String(contentsOfFile: run.metricsPath, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { Double($0.split(separator: ",")[1])! }
    }

    /// A threshold between the losses of epochs `epoch - 1` and `epoch`, so
    /// `epoch` is the first below it (the loss falls steadily on this net).
    func threshold(before epoch: Int, losses: [Double]) -> Double {
        (losses[epoch - 2] + losses[epoch - 1]) / 2
    }

    func weights(_ path: String) throws -> [[Tensor]] {
        try Checkpoint.read(from: path).layers.map { $0.parameters.map(\.value) }
    }

    @Test func endsAtTheFirstEpochBelowTheThresholdAndAnalysesThere() throws {
        let folder = TemporaryDirectory()
        let losses = try losses(in: folder)
        #expect(zip(losses, losses.dropFirst()).allSatisfy { $0 > $1 }, "the test needs a falling loss: \(losses)")
        let threshold = threshold(before: 23, losses: losses)
        let (outcome, findings, run) = try complete(Self.yaml(stop: "  stop: {loss_below: \(threshold)}"), in: folder, run: "stopped")
        #expect(outcome.finalEpoch == 23 && outcome.stop == .lossBelow && outcome.isComplete)
        #expect(outcome.finalLoss < threshold && losses[21] >= threshold)
        let last = try Checkpoint.read(from: run.lastCheckpointPath)
        #expect(last.epoch == 23 && last.stop == .lossBelow)
        #expect(try String(contentsOfFile: run.metricsPath, encoding: .utf8).split(separator: "\n").count == 24)
        // Complete at the threshold: analysed, marked, and left alone when run again.
        #expect(findings?.map(\.name) == ["jacobian_spectrum"])
        #expect(run.isComplete)
        let results = try #require(try ResultsFile(run: run).read())
        #expect(results.epoch == 23 && results.stop == .lossBelow)
        let again = try complete(Self.yaml(stop: "  stop: {loss_below: \(threshold)}"), in: folder, run: "stopped")
        #expect(again.outcome.epochsRun == 0 && again.outcome.finalEpoch == 23 && again.outcome.stop == .lossBelow)
        #expect(try Checkpoint.read(from: run.lastCheckpointPath).epoch == 23)
        #expect(outcome.stopSummary(try ExperimentBuilder(registry: BuiltinModules.registry)
            .experiment(configFile: folder.file("stopped.yaml")).training)?.hasPrefix("stopped at epoch 23 of 60") == true)
    }

    /// Paused before the threshold epoch (a checkpoint at 10, another at 14
    /// when killed later), resumed, the run ends at the same epoch with the
    /// same bits as one that never stopped.
    @Test func resumingAcrossTheThresholdEpochEndsIdentically() throws {
        let folder = TemporaryDirectory()
        let losses = try losses(in: folder)
        let yaml = Self.yaml(stop: "  stop: {loss_below: \(threshold(before: 23, losses: losses))}")
        let straight = try complete(yaml, in: folder, run: "straight")
        let paused = try complete(yaml, in: folder, run: "paused", stopAt: 10)
        #expect(paused.outcome.stop == nil && !paused.outcome.isComplete && paused.findings == nil && !paused.run.isComplete)
        #expect(try Checkpoint.read(from: paused.run.lastCheckpointPath).stop == nil)
        let resumed = try complete(yaml, in: folder, run: "paused")
        #expect(resumed.outcome.resumedFromEpoch == 10 && resumed.outcome.epochsRun == 13 && resumed.outcome.stop == .lossBelow)
        let (a, b) = (try Checkpoint.read(from: straight.run.lastCheckpointPath), try Checkpoint.read(from: paused.run.lastCheckpointPath))
        #expect(try weights(straight.run.lastCheckpointPath) == weights(paused.run.lastCheckpointPath))
        #expect(a.optimizerState == b.optimizerState && a.rngState == b.rngState && a.epoch == b.epoch && a.stop == b.stop)
        #expect(try weights(straight.run.bestCheckpointPath) == weights(paused.run.bestCheckpointPath))
    }

    /// A held-out loss due every 10 epochs is also taken at the epoch the
    /// stop rule ends, so the run's last row has it.
    @Test func theHeldoutLossIsTakenAtTheStopEpoch() throws {
        let folder = TemporaryDirectory()
        let losses = try losses(in: folder)
        let yaml = Self.yaml(stop: "  stop: {loss_below: \(threshold(before: 23, losses: losses))}\n"
                             + "evaluation: {data: {type: random, count: 3, shape: [8], seed: 9}, every: 10}")
        let (outcome, _, run) = try complete(yaml, in: folder, run: "heldout")
        let rows = try String(contentsOfFile: run.metricsPath, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        let column = try #require(rows[0].firstIndex(of: "heldout_loss"))
        let taken = rows.dropFirst().filter { !$0[column].isEmpty }.map { Int($0[0])! }
        #expect(outcome.finalEpoch == 23 && taken == [10, 20, 23])
        let logged = try #require(Double(rows.last![column]))
        #expect(outcome.heldoutLoss.map { abs($0 - logged) <= 1e-6 * logged } == true)
    }

    @Test func aRunThatNeverReachesTheThresholdEndsAtTheCapAndSaysSo() throws {
        let folder = TemporaryDirectory()
        let (outcome, findings, run) = try complete(Self.yaml(stop: "  stop: {loss_below: 1e-30}", epochs: 12), in: folder, run: "capped")
        #expect(outcome.finalEpoch == 12 && outcome.stop == .epochs && outcome.isComplete)
        #expect(findings != nil && run.isComplete)
        #expect(try Checkpoint.read(from: run.lastCheckpointPath).stop == .epochs)
        #expect(try ResultsFile(run: run).read()?.stop == .epochs)
        let training = try ExperimentBuilder(registry: BuiltinModules.registry).experiment(configFile: folder.file("capped.yaml")).training
        #expect(outcome.stopSummary(training)?.hasPrefix("reached training.epochs (12) without the loss falling below stop.loss_below 1e-30") == true)
    }

    @Test func theStopBlockIsValidated() throws {
        func error(_ stop: String) -> String {
            do {
                _ = try Experiment(config: try YAMLConfigLoader.parse(Self.yaml(stop: stop), file: "exp.yaml"),
                                   registry: BuiltinModules.registry, baseDirectory: ".", source: "exp.yaml")
                return "no error"
            } catch {
                return String(describing: error)
            }
        }
        #expect(error("  stop: {loss_below: 0}").contains("exp.yaml:12:22: error: training.stop.loss_below: 0 is out of range (allowed: a number > 0)"))
        #expect(error("  stop: {loss_below: -1e-7}").contains("training.stop.loss_below"))
        #expect(error("  stop: {loss_below: 1e-7, patience: 3}").contains("training.stop.patience: unknown key 'patience'"))
        #expect(error("  stop: {lossbelow: 1e-7}").contains("unknown key 'lossbelow' (did you mean 'loss_below'?)"))
        #expect(error("  stop: 1e-7").contains("training.stop: expected a mapping"))
        #expect(error("  stop: {loss_below: 1e-7}") == "no error")
    }
}
