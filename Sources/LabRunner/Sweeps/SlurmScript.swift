import Foundation

/// A Slurm job-array script for a sweep: task i runs
/// `aelab sweep CONFIG --index i`, so the scheduler spreads the points over
/// the cluster and every run lands in the same sweep directory (on a shared
/// filesystem) for `aelab report`. Complete points are skipped and
/// interrupted ones resume, so resubmitting the array finishes what is left.
public struct SlurmScript {
    public var plan: SweepPlan
    /// Absolute paths: the script runs from wherever Slurm starts it.
    public var executable: String
    public var configFile: String
    public var runsDirectory: String
    public var cpusPerTask = 2
    public var timeLimit = "24:00:00"
    public var overrides: [String] = []

    public init(plan: SweepPlan, executable: String, configFile: String, runsDirectory: String) {
        self.plan = plan
        self.executable = executable
        self.configFile = configFile
        self.runsDirectory = runsDirectory
    }

    public var sweepDirectory: String { plan.directory(runsDirectory: runsDirectory) }

    public var text: String {
        let command = [executable, "sweep", configFile, "--index", "\"$SLURM_ARRAY_TASK_ID\"", "--runs-dir", runsDirectory,
                       "--threads", "\"$SLURM_CPUS_PER_TASK\""].map { $0.hasPrefix("\"") ? $0 : Self.quoted($0) }
            + overrides.flatMap { ["--set", Self.quoted($0)] }
        return """
            #!/bin/bash
            #SBATCH --job-name=\(plan.name)
            #SBATCH --array=0-\(plan.points.count - 1)
            #SBATCH --cpus-per-task=\(cpusPerTask)
            #SBATCH --time=\(timeLimit)
            #SBATCH --output=\(sweepDirectory)/logs/slurm-%A_%a.log
            # \(plan.points.count) points of \(configFile); submit with `sbatch \(sweepDirectory)/slurm.sh`,
            # then `aelab report \(sweepDirectory)`. Resubmitting runs only what is not complete.
            set -euo pipefail
            exec \(command.joined(separator: " "))

            """
    }

    /// Writes `slurm.sh` (executable) and the sweep manifest into the sweep directory.
    public func write() throws -> String {
        let path = (sweepDirectory as NSString).appendingPathComponent("slurm.sh")
        do {
            try FileManager.default.createDirectory(atPath: (sweepDirectory as NSString).appendingPathComponent("logs"),
                                                    withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        } catch {
            throw RunError("\(path): cannot write the Slurm script (\(error.localizedDescription))")
        }
        try SweepManifest(plan: plan).write(to: sweepDirectory)
        return path
    }

    /// Single-quoted for bash.
    static func quoted(_ text: String) -> String {
        text.allSatisfy { $0.isLetter || $0.isNumber || "/._-=,:+".contains($0) } ? text
            : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
