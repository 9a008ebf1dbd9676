import Foundation
import Testing
import TestSupport

/// `aelab sweep` and `aelab report` as a user runs them, killed part way.
@Suite(.serialized) struct SweepCommandTests {
    /// 2 widths x 2 depths x 2 repeats; long enough per point to be caught mid-run.
    static let config = """
        name: grid
        seed: 3
        data: {type: random, count: 8, shape: [16]}
        model:
          mlp: {width: 8, depth: 1}
        training: {optimizer: {type: rmsprop, learning_rate: 0.01}, epochs: 6000, batch_size: 8, checkpoint_every: 100}
        analyses: [attractors]
        sweep:
          grid:
            model.mlp.width: [8, 16]
            model.mlp.depth: [1, 2]
          repeats: 2
        """

    static let labels = ["width=8_depth=1_r0", "width=8_depth=1_r1", "width=8_depth=2_r0", "width=8_depth=2_r1",
                         "width=16_depth=1_r0", "width=16_depth=1_r1", "width=16_depth=2_r0", "width=16_depth=2_r1"]

    func modified(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    @Test func killedSweepResumesWithoutRedoingFinishedPointsAndReportsEveryCell() throws {
        let folder = TemporaryDirectory()
        try Self.config.write(toFile: folder.file("grid.yaml"), atomically: true, encoding: .utf8)
        let sweep = folder.file("runs/grid")
        let complete = { Self.labels.filter { FileManager.default.fileExists(atPath: "\(sweep)/\($0)/complete") } }
        let interrupted = {
            Self.labels.filter { FileManager.default.fileExists(atPath: "\(sweep)/\($0)/last.h5") && !complete().contains($0) }
        }

        let (process, _, _) = try AelabProcess.start(["sweep", "grid.yaml", "--jobs", "2"], in: folder.path)
        let deadline = Date().addingTimeInterval(300)
        while process.isRunning, Date() < deadline, complete().count < 2 || interrupted().isEmpty {
            Thread.sleep(forTimeInterval: 0.05)
        }
        // SIGKILL leaves the workers no chance to clean up: they must die with the sweep all the same.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        Thread.sleep(forTimeInterval: 1)
        let finishedBefore = complete()
        let resumable = interrupted()
        #expect(finishedBefore.count >= 2 && finishedBefore.count < Self.labels.count, "\(finishedBefore)")
        #expect(!resumable.isEmpty)
        let stamps = Dictionary(uniqueKeysWithValues: finishedBefore.map { ($0, modified("\(sweep)/\($0)/last.h5")) })
        let workers = try AelabProcess.run(["-c", "pgrep -af 'aelab sweep grid[.]yaml --index' || true"], in: folder.path, executable: "/bin/sh")
        #expect(workers.output.isEmpty, "workers outlived the sweep: \(workers.output)")

        let again = try AelabProcess.run(["sweep", "grid.yaml", "--jobs", "2"], in: folder.path)
        #expect(again.status == 0, "\(again.output)\(again.errors)")
        #expect(again.output.contains("\(finishedBefore.count) already complete"))
        #expect(complete().count == Self.labels.count)
        for label in finishedBefore { #expect(modified("\(sweep)/\(label)/last.h5") == stamps[label]!, "\(label) was redone") }
        for label in resumable {
            let log = try String(contentsOfFile: "\(sweep)/logs/\(label).log", encoding: .utf8)
            #expect(log.contains("resumed from epoch"), "\(label) started over:\n\(log)")
        }

        let report = try AelabProcess.run(["report", "runs/grid"], in: folder.path)
        #expect(report.status == 0, "\(report.errors)")
        let markdown = try String(contentsOfFile: "\(sweep)/report.md", encoding: .utf8)
        for cell in ["| 8 | 1 | 2/2 |", "| 8 | 2 | 2/2 |", "| 16 | 1 | 2/2 |", "| 16 | 2 | 2/2 |"] {
            #expect(markdown.contains(cell), "no row \(cell) in\n\(markdown)")
        }
        let html = try String(contentsOfFile: "\(sweep)/report.html", encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("data:image/png;base64,"))
        #expect(!html.contains("report-files/"), "report.html must not depend on files beside it")
    }

    /// The emitted job array covers every point, and its task command, run as
    /// Slurm would run task 5, trains exactly point 5.
    @Test func slurmScriptRunsOnePointPerTask() throws {
        let folder = TemporaryDirectory()
        try Self.config.replacingOccurrences(of: "epochs: 6000", with: "epochs: 20")
            .write(toFile: folder.file("grid.yaml"), atomically: true, encoding: .utf8)
        let emitted = try AelabProcess.run(["sweep", "grid.yaml", "--emit", "slurm", "--set", "training.batch_size=4"], in: folder.path)
        #expect(emitted.status == 0, "\(emitted.errors)")
        let script = try String(contentsOfFile: folder.file("runs/grid/slurm.sh"), encoding: .utf8)
        #expect(script.contains("#SBATCH --array=0-7"))
        #expect(script.contains("sweep \(folder.path)/grid.yaml --index \"$SLURM_ARRAY_TASK_ID\""))
        #expect(script.contains("--set training.batch_size=4"))
        let task = Process()
        task.executableURL = URL(fileURLWithPath: "/bin/bash")
        task.arguments = [folder.file("runs/grid/slurm.sh")]
        task.environment = ["SLURM_ARRAY_TASK_ID": "5", "SLURM_CPUS_PER_TASK": "1", "PATH": "/usr/bin:/bin"]
        task.standardOutput = FileHandle.nullDevice
        try task.run()
        task.waitUntilExit()
        #expect(task.terminationStatus == 0)
        let done = Self.labels.filter { FileManager.default.fileExists(atPath: folder.file("runs/grid/\($0)/complete")) }
        #expect(done == [Self.labels[5]])
        let config = try String(contentsOfFile: folder.file("runs/grid/\(Self.labels[5])/config.yaml"), encoding: .utf8)
        #expect(config.contains("batch_size: 4") && config.contains("width: 16"))
    }
}
