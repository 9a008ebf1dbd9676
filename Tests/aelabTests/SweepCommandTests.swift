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
        analyses: [attractors, iterates]
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

    /// Runs an emitted script as Slurm would run one task of it.
    func runTask(_ script: String, task: String?) throws -> AelabProcess.Result {
        var environment = ["SLURM_ARRAY_JOB_ID": "41", "SLURM_CPUS_PER_TASK": "1", "PATH": "/usr/bin:/bin"]
        environment["SLURM_ARRAY_TASK_ID"] = task
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script]
        process.environment = environment
        let (output, errors) = (Pipe(), Pipe())
        (process.standardOutput, process.standardError) = (output, errors)
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return AelabProcess.Result(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                                   errors: String(decoding: errorData, as: UTF8.self))
    }

    /// The emitted arrays cover every point, and a task's command, run as
    /// Slurm would run task 1 of the second array, trains exactly point 5
    /// with every option the sweep was given.
    @Test func slurmScriptRunsOnePointPerTask() throws {
        let folder = TemporaryDirectory()
        try Self.config.replacingOccurrences(of: "epochs: 6000", with: "epochs: 20")
            .write(toFile: folder.file("grid.yaml"), atomically: true, encoding: .utf8)
        let emitted = try AelabProcess.run(["sweep", "grid.yaml", "--emit", "slurm", "--set", "training.batch_size=4",
                                            "--stop-at-epoch", "10", "--array-limit", "4", "--time", "1:00:00"], in: folder.path)
        #expect(emitted.status == 0, "\(emitted.errors)")
        #expect(emitted.output.contains("runs/grid/slurm-1.sh: points 4 to 7"), "\(emitted.output)")
        #expect(emitted.output.contains("submit with: for script in \(folder.path)/runs/grid/slurm-*.sh; do sbatch \"$script\"; done"))
        let script = try String(contentsOfFile: folder.file("runs/grid/slurm-1.sh"), encoding: .utf8)
        #expect(script.contains("#SBATCH --array=0-3") && script.contains("#SBATCH --time=1:00:00"))
        let task = try runTask(folder.file("runs/grid/slurm-1.sh"), task: "1")
        #expect(task.status == 0, "\(task.errors)")
        #expect(task.output.hasPrefix("Slurm task 41_1 of slurm-1.sh runs point 5\npoint 5 of 8: \(Self.labels[5])"), "\(task.output)")
        let done = Self.labels.filter { FileManager.default.fileExists(atPath: folder.file("runs/grid/\($0)/last.h5")) }
        #expect(done == [Self.labels[5]])
        #expect(task.output.contains("trained to epoch 10:"), "--stop-at-epoch did not reach the task: \(task.output)")
        let config = try String(contentsOfFile: folder.file("runs/grid/\(Self.labels[5])/config.yaml"), encoding: .utf8)
        #expect(config.contains("batch_size: 4") && config.contains("width: 16"))
        let manifest = try String(contentsOfFile: folder.file("runs/grid/sweep.json"), encoding: .utf8)
        #expect(manifest.contains("\"script\" : \"slurm-1.sh\"") && manifest.contains("\"firstPoint\" : 4"), "\(manifest)")
    }

    /// Run by hand, the script says what it is and how to submit it; a task
    /// whose point another process holds ends well (Slurm: COMPLETED), leaving it there.
    @Test func slurmScriptExplainsItselfAndLeavesAHeldPointToItsHolder() throws {
        let folder = TemporaryDirectory()
        try Self.config.write(toFile: folder.file("grid.yaml"), atomically: true, encoding: .utf8)
        #expect(try AelabProcess.run(["sweep", "grid.yaml", "--emit", "slurm"], in: folder.path).status == 0)
        let script = folder.file("runs/grid/slurm.sh")
        let outside = try runTask(script, task: nil)
        #expect(outside.status != 0)
        #expect(outside.errors.contains("is a Slurm job array") && outside.errors.contains("sbatch \(script)"), "\(outside.errors)")

        try FileManager.default.createDirectory(atPath: folder.file("runs/grid/\(Self.labels[2])"), withIntermediateDirectories: true)
        let lock = open(folder.file("runs/grid/\(Self.labels[2])/.lock"), O_CREAT | O_RDWR, 0o644)
        defer { close(lock) }
        #expect(lock >= 0 && flock(lock, LOCK_EX) == 0)
        let held = try runTask(script, task: "2")
        #expect(held.status == 0, "\(held.output)\(held.errors)")
        #expect(held.output.contains("another process is running point 2"), "\(held.output)")
        #expect(!FileManager.default.fileExists(atPath: folder.file("runs/grid/\(Self.labels[2])/last.h5")))
    }

    /// A bad value in the grid stops the sweep before its first point trains.
    @Test func aBadGridValueFailsBeforeAnyPointRuns() throws {
        let folder = TemporaryDirectory()
        try Self.config.replacingOccurrences(of: "model.mlp.width: [8, 16]", with: "model.mlp.width: [8, -5]")
            .write(toFile: folder.file("grid.yaml"), atomically: true, encoding: .utf8)
        let result = try AelabProcess.run(["sweep", "grid.yaml", "--jobs", "1"], in: folder.path)
        #expect(result.status != 0)
        #expect(result.errors.contains("point 4 (width=-5_depth=1_r0) of grid.yaml: grid.yaml:10:26: error: model.mlp.width: -5 is out of range"), "\(result.errors)")
        #expect(!FileManager.default.fileExists(atPath: folder.file("runs")), "nothing written: no sweep.json, no run of point 0")
    }
}
