import Foundation
import Testing
import TestSupport

/// A checkpoint that cannot be written (a full disk; here a file size limit,
/// which fails the write the same way without root or a small file system)
/// ends the run with an error, not a crash, and keeps the earlier checkpoints.
@Suite struct CheckpointWriteFailureTests {
    static let config = """
        name: wide
        seed: 5
        data: {type: random, count: 16, shape: [3072]}
        model:
          mlp: {width: 16, depth: 2}
        training:
          optimizer: {type: rmsprop, learning_rate: 0.002}
          epochs: 50
          batch_size: 4
          checkpoint_every: 25
        """

    @Test func aFailedCheckpointWriteIsAnErrorAndKeepsTheLastGoodCheckpoints() throws {
        let folder = TemporaryDirectory()
        try Self.config.write(toFile: folder.file("exp.yaml"), atomically: true, encoding: .utf8)
        let first = try AelabProcess.run(["run", "exp.yaml", "--run-dir", "run", "--stop-at-epoch", "25"], in: folder.path)
        #expect(first.status == 0, "\(first.errors)")
        let last = try Data(contentsOf: URL(fileURLWithPath: folder.file("run/last.h5")))
        let best = try Data(contentsOf: URL(fileURLWithPath: folder.file("run/best.h5")))
        #expect(last.count > 200_000, "the checkpoint must exceed the size limit below")

        // 100 blocks of 512 or 1024 bytes: room for metrics.csv, not for a checkpoint. SIGXFSZ
        // is ignored, as a full disk sends no signal: the write fails with EFBIG instead.
        let script = "trap '' XFSZ; ulimit -f 100; exec \"$0\" \"$@\""
        let (process, output, errors) = try AelabProcess.start(
            ["-c", script, AelabProcess.executable.path, "run", "exp.yaml", "--run-dir", "run"],
            in: folder.path, executable: "/bin/sh")
        _ = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 1, "\(message)")
        #expect(message.contains("run/last.h5.tmp-\(process.processIdentifier): cannot write "), "\(message)")
        #expect(message.contains("(File too large); removed it, run/last.h5 is left as it was"), "\(message)")
        let contents = try FileManager.default.contentsOfDirectory(atPath: folder.file("run"))
        #expect(!contents.contains { $0.contains(".tmp-") }, "\(contents)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.file("run/last.h5"))) == last)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.file("run/best.h5"))) == best)
    }
}
