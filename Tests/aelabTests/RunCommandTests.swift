import Foundation
import Testing
import TestSupport
import LabIO

/// `aelab run` as a user runs it: a config file in, a run directory out.
@Suite(.serialized) struct RunCommandTests {
    static let config = """
        name: tiny
        seed: 5
        data: {type: random, count: 16, shape: [48]}
        model:
          mlp: {width: 16, depth: 2}
        training:
          optimizer: {type: rmsprop, learning_rate: 0.002}
          epochs: EPOCHS
          batch_size: 4
          checkpoint_every: 25
        """

    func writeConfig(epochs: Int, in folder: TemporaryDirectory, name: String = "exp.yaml") throws {
        try Self.config.replacingOccurrences(of: "EPOCHS", with: String(epochs))
            .write(toFile: folder.file(name), atomically: true, encoding: .utf8)
    }

    @Test func runWritesTheRunDirectoryAndSaysWhere() throws {
        let folder = TemporaryDirectory()
        try writeConfig(epochs: 50, in: folder)
        let result = try AelabProcess.run(["run", "exp.yaml", "--runs-dir", "out"], in: folder.path)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("run directory: out/tiny"))
        #expect(result.output.contains("epoch 50/50  loss "))
        for file in ["config.yaml", "metrics.csv", "init.h5", "last.h5", "best.h5"] {
            #expect(FileManager.default.fileExists(atPath: folder.file("out/tiny/\(file)")), "missing \(file)")
        }
        // Running it again finds the finished run, and a run directory works as the argument too.
        let before = try FileManager.default.contentsOfDirectory(atPath: folder.file("out/tiny")).sorted().map { name in
            (name, (try? FileManager.default.attributesOfItem(atPath: folder.file("out/tiny/\(name)")))?[.modificationDate] as? Date)
        }
        let again = try AelabProcess.run(["run", "out/tiny"], in: folder.path)
        #expect(again.status == 0)
        #expect(again.output.contains("already trained to epoch 50"))
        // A finished run is read, not written: the same files, none touched.
        let after = try FileManager.default.contentsOfDirectory(atPath: folder.file("out/tiny")).sorted().map { name in
            (name, (try? FileManager.default.attributesOfItem(atPath: folder.file("out/tiny/\(name)")))?[.modificationDate] as? Date)
        }
        #expect(after.map(\.0) == before.map(\.0) && zip(after, before).allSatisfy { $0.1 == $1.1 }, "\(before) -> \(after)")
    }

    @Test func badConfigFailsWithLineAndKeyPathAndWritesNothing() throws {
        let folder = TemporaryDirectory()
        try Self.config.replacingOccurrences(of: "width: 16", with: "width: -16")
            .replacingOccurrences(of: "EPOCHS", with: "5").write(toFile: folder.file("exp.yaml"), atomically: true, encoding: .utf8)
        let result = try AelabProcess.run(["run", "exp.yaml", "--runs-dir", "out"], in: folder.path)
        #expect(result.status != 0)
        #expect(result.errors.contains("exp.yaml:5:16: error: model.mlp.width: -16 is out of range (allowed: an integer >= 1)"), "\(result.errors)")
        #expect(!FileManager.default.fileExists(atPath: folder.file("out")))
    }

    /// Killed part way (SIGKILL, no chance to clean up), then run again: the run
    /// resumes from its last checkpoint and ends with exactly the weights of a
    /// run that was never interrupted.
    @Test func aKilledRunResumesToTheSameWeights() throws {
        let folder = TemporaryDirectory()
        try writeConfig(epochs: 1500, in: folder)
        let checkpoint = folder.file("killed/last.h5")
        let (process, _, _) = try AelabProcess.start(["run", "exp.yaml", "--run-dir", "killed", "--threads", "1"], in: folder.path)
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: checkpoint) && Date() < deadline { usleep(2_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let killedAt = try Checkpoint.read(from: checkpoint).epoch
        #expect(killedAt < 1500, "the run finished before it could be killed")

        let resumed = try AelabProcess.run(["run", "exp.yaml", "--run-dir", "killed", "--threads", "1"], in: folder.path)
        #expect(resumed.status == 0, "\(resumed.errors)")
        #expect(resumed.output.contains("resuming killed from epoch \(killedAt)"))
        let straight = try AelabProcess.run(["run", "exp.yaml", "--run-dir", "straight", "--threads", "1"], in: folder.path)
        #expect(straight.status == 0)

        let a = try Checkpoint.read(from: folder.file("straight/last.h5"))
        let b = try Checkpoint.read(from: checkpoint)
        #expect(a.epoch == 1500 && b.epoch == 1500)
        #expect(a.layers.map { $0.parameters.map(\.value) } == b.layers.map { $0.parameters.map(\.value) })
        let rows = try String(contentsOfFile: folder.file("killed/metrics.csv"), encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 1501)
        #expect(rows.dropFirst().enumerated().allSatisfy { $0.element.hasPrefix("\($0.offset + 1),") })
    }

    @Test func aNegativeThreadCountAndAnEarlyDivergenceSayWhatHappened() throws {
        let folder = TemporaryDirectory()
        try writeConfig(epochs: 5, in: folder)
        let threads = try AelabProcess.run(["run", "exp.yaml", "--threads", "-1"], in: folder.path)
        #expect(threads.status != 0 && threads.errors.contains("--threads -1: must be a whole number >= 1"), "\(threads.errors)")
        // A learning rate that overflows the loss in epoch 1, before any checkpoint.
        let diverging = try String(contentsOfFile: folder.file("exp.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "learning_rate: 0.002", with: "learning_rate: 1.0e30")
        try diverging.write(toFile: folder.file("diverge.yaml"), atomically: true, encoding: .utf8)
        let result = try AelabProcess.run(["run", "diverge.yaml", "--runs-dir", "out"], in: folder.path)
        #expect(result.status != 0)
        #expect(result.errors.contains("in epoch 1; stopped, before any checkpoint was written"), "\(result.errors)")
    }
}

/// `aelab analyze` on a finished run, as a user runs it.
@Suite struct AnalyzeCommandTests {
    @Test func analyzeWritesResultsAndPrintsTables() throws {
        let folder = TemporaryDirectory()
        try RunCommandTests.config.replacingOccurrences(of: "EPOCHS", with: "20")
            .write(toFile: folder.file("exp.yaml"), atomically: true, encoding: .utf8)
        try "analyses: [attractors, {type: jacobian_spectrum, route: full}]\n"
            .write(toFile: folder.file("more.yaml"), atomically: true, encoding: .utf8)
        #expect(try AelabProcess.run(["run", "exp.yaml", "--run-dir", "run"], in: folder.path).status == 0)
        let result = try AelabProcess.run(["analyze", "run", "--checkpoint", "best", "--analyses", "more.yaml"], in: folder.path)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("attractors ("))
        #expect(result.output.contains("fixed point"))
        #expect(result.output.contains("jacobian_spectrum ("))
        #expect(result.output.contains("full"))
        #expect(FileManager.default.fileExists(atPath: folder.file("run/results.json")))
        #expect(FileManager.default.fileExists(atPath: folder.file("run/results.h5")))

        // --checkpoint init: the weights before the first step, named as such in the results.
        let initial = try AelabProcess.run(["analyze", "run", "--checkpoint", "init", "--analyses", "more.yaml"], in: folder.path)
        #expect(initial.status == 0, "\(initial.errors)")
        let results = try String(contentsOfFile: folder.file("run/results.json"), encoding: .utf8)
        #expect(results.contains("\"checkpoint\" : \"init.h5\"") && results.contains("\"weights\" : \"init.h5\""))

        let missing = try AelabProcess.run(["analyze", "run"], in: folder.path)
        #expect(missing.status != 0)
        #expect(missing.errors.contains("lists no analyses"))
    }
}
