import Foundation
import LabCore
import Testing
import TestSupport

@testable import LabRunner

/// Job arrays stay under the cluster's array cap, and carry every setting and option to their tasks.
@Suite struct SlurmArrayScriptsTests {
    static let config = """
        name: study
        data: {type: random, count: 4, shape: [8]}
        model:
          mlp: {width: 4, depth: 1}
        training: {optimizer: sgd, epochs: 2, batch_size: 4}
        slurm: {time: "30:00", memory: 2G, cpus_per_task: 3, extra: ["#SBATCH --qos=normal"]}
        sweep:
          grid:
            model.mlp.width: [4, 8, 16, 32, 64, 128, 256]
        """

    func scripts(in folder: TemporaryDirectory) throws -> SlurmArrayScripts {
        try Self.config.write(toFile: folder.file("sweep.yaml"), atomically: true, encoding: .utf8)
        let plan = try SweepPlan(configFile: folder.file("sweep.yaml"))
        var scripts = SlurmArrayScripts(plan: plan, executable: "/opt/aelab", configFile: folder.file("sweep.yaml"),
                                        runsDirectory: folder.file("runs"))
        scripts.settings = plan.slurm
        return scripts
    }

    @Test func arraysHoldAtMostTheLimitAndCoverEveryPointOnce() {
        #expect(SlurmArray.split(points: 1200, limit: 1000)
                == [SlurmArray(script: "slurm-0.sh", firstPoint: 0, tasks: 1000), SlurmArray(script: "slurm-1.sh", firstPoint: 1000, tasks: 200)])
        #expect(SlurmArray.split(points: 1000, limit: 1000) == [SlurmArray(script: "slurm.sh", firstPoint: 0, tasks: 1000)])
        let arrays = SlurmArray.split(points: 7, limit: 3)
        #expect(arrays.map(\.tasks) == [3, 3, 1] && arrays.map(\.firstPoint) == [0, 3, 6])
        #expect(arrays.allSatisfy { SlurmArray.isScriptName($0.script) } && !SlurmArray.isScriptName("slurm-x.sh"))
    }

    @Test func scriptsCarryTheSettingsTheOffsetAndEveryOptionThatChangesARun() throws {
        let folder = TemporaryDirectory()
        var scripts = try scripts(in: folder)
        scripts.settings = scripts.settings.overridden(by: { var cli = SlurmSettings(); cli.time = "2:00:00"; cli.arrayLimit = 3; return cli }())
        (scripts.stopAtEpoch, scripts.overrides) = (50, ["training.optimizer={type: adam}"])
        let arrays = scripts.arrays
        #expect(arrays.count == 3)
        let text = scripts.text(of: arrays[2])
        for line in ["#SBATCH --array=0-0", "#SBATCH --time=2:00:00", "#SBATCH --mem=2G", "#SBATCH --cpus-per-task=3",
                     "#SBATCH --qos=normal", "point=$((6 + SLURM_ARRAY_TASK_ID))",
                     "--runs-dir \(folder.file("runs")) --threads \"${SLURM_CPUS_PER_TASK:-3}\" --stop-at-epoch 50 "
                         + "--set 'training.optimizer={type: adam}'"] {
            #expect(text.contains(line), "no \(line) in\n\(text)")
        }
        #expect(!text.contains("#SBATCH #SBATCH") && !text.contains("--partition"))
        scripts.threads = 1
        scripts.settings.cpusPerTask = nil
        #expect(scripts.text(of: arrays[0]).contains("#SBATCH --cpus-per-task=1") && scripts.text(of: arrays[0]).contains("--threads 1 "))
    }

    @Test func writingReplacesAnEarlierEmissionAndTheManifestKeepsTheTaskMap() throws {
        let folder = TemporaryDirectory()
        var scripts = try scripts(in: folder)
        scripts.settings.arrayLimit = 2
        #expect(try scripts.write().map { ($0 as NSString).lastPathComponent } == ["slurm-0.sh", "slurm-1.sh", "slurm-2.sh", "slurm-3.sh"])
        scripts.settings.arrayLimit = 4
        _ = try scripts.write()
        let sweep = scripts.sweepDirectory
        let files = try FileManager.default.contentsOfDirectory(atPath: sweep).filter { $0.hasSuffix(".sh") }.sorted()
        #expect(files == ["slurm-0.sh", "slurm-1.sh"])
        // A task writes the manifest from its plan alone; the emitted map must survive it.
        try SweepManifest(plan: scripts.plan).write(to: sweep)
        #expect(try SweepManifest.read(from: sweep)?.slurmArrays == scripts.arrays)
    }
}
