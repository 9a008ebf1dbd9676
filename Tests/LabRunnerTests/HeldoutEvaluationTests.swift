import Foundation
import Testing
import TestSupport
import LabCore
import LabIO
import LabModules
@testable import LabRunner

/// The `evaluation` block: the held-out loss in metrics.csv, across resume, in reports and sweep tables.
@Suite(.serialized) struct HeldoutEvaluationTests {
    /// Training and evaluation data are the same 8 samples (the same seed), so the
    /// held-out loss must equal the full-data loss of the same weights, while the
    /// batch losses (noisy inputs, a penalty, weights moving) differ from both.
    static let config = """
        name: heldout
        seed: 4
        data: {type: random, count: 8, shape: [16], seed: 5}
        model:
          mlp: {width: 6, depth: 1, activation: sigmoid}
        training:
          optimizer: {type: adam, learning_rate: 0.01}
          epochs: 6
          batch_size: 3
          checkpoint_every: 3
          full_loss_every: 1
          corruption: {type: gaussian_noise, std: 0.3}
          regularizers: [{type: l1_activity, layer: sigmoid_1, weight: 0.01}]
        evaluation: {data: {type: random, count: 8, shape: [16], seed: 5}, every: 4}
        """

    let silent = ProgressReporter(totalEpochs: 1, isTerminal: false, write: { _ in })

    func train(_ yaml: String, in folder: TemporaryDirectory, run name: String = "run", stopAt: Int? = nil) throws -> (Experiment, Trainer.Outcome) {
        let path = folder.file("exp.yaml")
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let pipeline = ExperimentPipeline(registry: BuiltinModules.registry)
        let (experiment, run) = try pipeline.prepare(path, runDirectory: folder.file(name))
        return (experiment, try pipeline.train(experiment, in: run, progress: silent, stopAtEpoch: stopAt))
    }

    /// metrics.csv's rows, empty fields kept.
    func rows(_ run: String) throws -> [[String]] {
        try String(contentsOfFile: RunDirectory(path: run).metricsPath, encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test func heldoutLossOnTheTrainingDataIsTheFullLossOfTheSameWeights() throws {
        let folder = TemporaryDirectory()
        let (experiment, outcome) = try train(Self.config, in: folder)
        let rows = try rows(folder.file("run"))
        #expect(rows[0] == ["epoch", "loss", "seconds", "full_loss", "heldout_loss"])
        #expect(rows.dropFirst().map { $0[4].isEmpty } == [true, true, true, false, true, false], "every 4 epochs and at the last")
        for row in rows.dropFirst() where !row[4].isEmpty {
            #expect(row[4] == row[3])
            #expect(row[4] != row[1])
        }
        // And against the final weights, evaluated afresh from last.h5.
        let checkpoint = try Checkpoint.read(from: RunDirectory(path: folder.file("run")).lastCheckpointPath)
        try checkpoint.restoreWeights(into: experiment.network, file: "last.h5")
        let final = try DatasetLoss(loss: experiment.loss).evaluate(experiment.network, on: experiment.evaluation!.dataset)
        #expect(outcome.heldoutLoss == final)
        #expect(Double(rows[6][4]) == final)
    }

    @Test func theColumnContinuesAfterResumeAsInAnUninterruptedRun() throws {
        let folder = TemporaryDirectory()
        _ = try train(Self.config, in: folder, run: "whole")
        _ = try train(Self.config, in: folder, run: "resumed", stopAt: 3)
        #expect(try rows(folder.file("resumed")).count == 4)
        _ = try train(Self.config, in: folder, run: "resumed")
        let whole = try rows(folder.file("whole")), resumed = try rows(folder.file("resumed"))
        #expect(resumed.count == 7)
        // All but the seconds column: the same losses, held-out ones where due.
        #expect(resumed.map { [$0[0], $0[1], $0[3], $0[4]] } == whole.map { [$0[0], $0[1], $0[3], $0[4]] })
    }

    @Test func reportsDrawTheHeldoutCurveAndTabulateItsFinalValue() throws {
        let folder = TemporaryDirectory()
        _ = try train(Self.config, in: folder)
        try RunDirectory(path: folder.file("run")).markComplete()
        let record = try RunRecord(run: RunDirectory(path: folder.file("run")))
        #expect(record.heldoutCurve.map(\.epoch) == [4, 6])
        #expect(record.finalHeldoutLoss == record.heldoutCurve.last?.loss)
        #expect(record.finalLoss == record.curve.last?.loss && record.curve.count == 6)

        let document = try ReportBuilder(directory: folder.file("run")).build()
        let chart = try #require(document.blocks.lazy.compactMap { block -> String? in
            if case .svg(let name, let text, _) = block, name.hasPrefix("loss-") { return text } else { return nil }
        }.first)
        #expect(chart.contains("Training and held-out loss") && chart.contains("held-out: ") && chart.contains("stroke-dasharray=\"5 3\""))
        let table = try #require(document.blocks.lazy.compactMap { block -> ([String], [[String]])? in
            if case .table(let header, let rows) = block, header.contains("held-out loss") { return (header, rows) } else { return nil }
        }.first)
        let column = try #require(table.0.firstIndex(of: "held-out loss"))
        #expect(table.1.first?[column] == String(format: "%.3g", record.finalHeldoutLoss!))
    }

    @Test func runsWithoutEvaluationReadAsBefore() throws {
        let folder = TemporaryDirectory()
        let plain = Self.config.split(separator: "\n").filter { !$0.hasPrefix("evaluation") }.joined(separator: "\n")
        _ = try train(plain, in: folder)
        #expect(try rows(folder.file("run"))[0] == ["epoch", "loss", "seconds", "full_loss"])
        let record = try RunRecord(run: RunDirectory(path: folder.file("run")))
        #expect(record.heldoutCurve.isEmpty && record.finalHeldoutLoss == nil && record.curve.count == 6)
        let document = try ReportBuilder(directory: folder.file("run")).build()
        #expect(!document.blocks.contains { block in
            if case .table(let header, _) = block { return header.contains("held-out loss") } else { return false }
        })
    }

    @Test func evaluationDataOfAnotherShapeIsAnErrorAtItsLine() throws {
        let yaml = Self.config.replacingOccurrences(of: "evaluation: {data: {type: random, count: 8, shape: [16], seed: 5}, every: 4}",
                                                    with: "evaluation:\n  data: {type: random, count: 8, shape: [15]}")
        let error = #expect(throws: ConfigError.self) {
            try Experiment(config: try YAMLConfigLoader.parse(yaml, file: "exp.yaml"), registry: BuiltinModules.registry,
                           baseDirectory: ".", source: "exp.yaml")
        }
        #expect(error?.description == "exp.yaml:15:9: error: evaluation.data: samples have shape [15], but the network trains on [16] (allowed: data of the training data's sample shape)")
    }
}
