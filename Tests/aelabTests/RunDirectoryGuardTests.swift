import Foundation
import Testing
import TestSupport

/// What `aelab run` does with a run directory it does not own: one held by
/// another process, one holding someone else's files, one a killed run left.
@Suite(.serialized) struct RunDirectoryGuardTests {
    func writeConfig(epochs: Int, in folder: TemporaryDirectory) throws {
        try RunCommandTests.config.replacingOccurrences(of: "EPOCHS", with: String(epochs))
            .write(toFile: folder.file("exp.yaml"), atomically: true, encoding: .utf8)
    }

    /// The second process refuses, naming the first by its PID, and leaves the run's files to it.
    @Test func aSecondRunOfOneDirectoryIsRefusedNamingTheHolder() throws {
        let folder = TemporaryDirectory()
        try writeConfig(epochs: 200_000, in: folder)
        let (first, _, _) = try AelabProcess.start(["run", "exp.yaml", "--run-dir", "shared", "--threads", "1"], in: folder.path)
        defer { kill(first.processIdentifier, SIGKILL); first.waitUntilExit() }
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: folder.file("shared/last.h5")) && Date() < deadline { usleep(2_000) }
        #expect(first.isRunning, "the first run ended before the second started")

        let second = try AelabProcess.run(["run", "exp.yaml", "--run-dir", "shared", "--threads", "1"], in: folder.path)
        #expect(second.status != 0)
        #expect(second.errors.contains("shared: another process (PID \(first.processIdentifier)) is running this run directory"), "\(second.errors)")
        #expect(!second.output.contains("resuming"), "\(second.output)")
    }

    /// A directory with other files and no config.yaml is not a run: nothing in it changes and nothing is added.
    @Test func aDirectoryThatIsNotARunIsRefusedBeforeAnythingIsWritten() throws {
        let folder = TemporaryDirectory()
        try writeConfig(epochs: 5, in: folder)
        let user = folder.file("mine")
        try FileManager.default.createDirectory(atPath: user, withIntermediateDirectories: true)
        try "epoch,mine\n".write(toFile: folder.file("mine/metrics.csv"), atomically: true, encoding: .utf8)
        try "keep me".write(toFile: folder.file("mine/complete"), atomically: true, encoding: .utf8)

        let result = try AelabProcess.run(["run", "exp.yaml", "--run-dir", "mine"], in: folder.path)
        #expect(result.status != 0)
        #expect(result.errors.contains("mine: is not a run directory (no config.yaml) and is not empty (it holds complete, metrics.csv); name a new or empty directory"), "\(result.errors)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: user).sorted() == ["complete", "metrics.csv"])
        #expect(try String(contentsOfFile: folder.file("mine/metrics.csv"), encoding: .utf8) == "epoch,mine\n")
        #expect(try String(contentsOfFile: folder.file("mine/complete"), encoding: .utf8) == "keep me")
    }

    @Test func theRootDirectoryAndAFileAreRefused() throws {
        let folder = TemporaryDirectory()
        try writeConfig(epochs: 5, in: folder)
        let before = try FileManager.default.contentsOfDirectory(atPath: "/").sorted()
        let root = try AelabProcess.run(["run", "exp.yaml", "--run-dir", "/"], in: folder.path)
        #expect(root.status != 0)
        #expect(root.errors.contains("/: is not a run directory (no config.yaml) and is not empty"), "\(root.errors)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: "/").sorted() == before)

        let file = try AelabProcess.run(["run", "exp.yaml", "--run-dir", "exp.yaml"], in: folder.path)
        #expect(file.status != 0)
        #expect(file.errors.contains("exp.yaml: is a file, not a run directory"), "\(file.errors)")
    }

    /// Temporary checkpoints of a killed writer go on the next start; the run's own files stay.
    @Test func temporaryFilesAKilledRunLeftAreRemovedOnTheNextStart() throws {
        let folder = TemporaryDirectory()
        try writeConfig(epochs: 50, in: folder)
        #expect(try AelabProcess.run(["run", "exp.yaml", "--run-dir", "run", "--stop-at-epoch", "25"], in: folder.path).status == 0)
        let leftovers = ["last.h5.tmp-99999", "best.h5.tmp-123", "results.h5.tmp-7"]
        for name in leftovers { try "partial".write(toFile: folder.file("run/\(name)"), atomically: true, encoding: .utf8) }
        try "notes".write(toFile: folder.file("run/notes.tmp-draft"), atomically: true, encoding: .utf8)

        let resumed = try AelabProcess.run(["run", "exp.yaml", "--run-dir", "run"], in: folder.path)
        #expect(resumed.status == 0, "\(resumed.errors)")
        let contents = try FileManager.default.contentsOfDirectory(atPath: folder.file("run"))
        #expect(leftovers.allSatisfy { !contents.contains($0) }, "\(contents)")
        #expect(contents.contains("notes.tmp-draft") && contents.contains("last.h5"))
    }
}
