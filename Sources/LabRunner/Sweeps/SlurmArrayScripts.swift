import Foundation

/// Slurm job-array scripts for a sweep: task t of an array runs
/// `aelab sweep CONFIG --index <first point + t>`, so the scheduler spreads
/// the points over the cluster and every run lands in the same sweep
/// directory (on a shared filesystem) for `aelab report`. A sweep larger than
/// the array limit gets one script per array. Complete points are skipped and
/// interrupted ones resume, so resubmitting the scripts finishes what is left.
public struct SlurmArrayScripts {
    public var plan: SweepPlan
    /// Absolute paths: the scripts run from wherever Slurm starts them.
    public var executable: String
    public var configFile: String
    public var runsDirectory: String
    public var settings = SlurmSettings()
    /// Each task's BLAS threads; nil: its cpus per task.
    public var threads: Int?
    public var stopAtEpoch: Int?
    public var overrides: [String] = []

    public init(plan: SweepPlan, executable: String, configFile: String, runsDirectory: String) {
        self.plan = plan
        self.executable = executable
        self.configFile = configFile
        self.runsDirectory = runsDirectory
    }

    public var sweepDirectory: String { plan.directory(runsDirectory: runsDirectory) }

    public var arrays: [SlurmArray] {
        SlurmArray.split(points: plan.points.count, limit: settings.arrayLimit ?? SlurmSettings.defaultArrayLimit)
    }

    /// Cpus per task: as set, else the thread count asked for, else the default.
    var cpusPerTask: Int { settings.cpusPerTask ?? threads ?? SlurmSettings.defaultCpusPerTask }

    func path(of array: SlurmArray) -> String {
        (sweepDirectory as NSString).appendingPathComponent(array.script)
    }

    /// The shell command that submits every array.
    public var submitCommand: String {
        let arrays = arrays
        guard arrays.count > 1 else { return "sbatch \(Self.quoted(path(of: arrays[0])))" }
        return "for script in \(Self.quoted(sweepDirectory))/slurm-*.sh; do sbatch \"$script\"; done"
    }

    /// The arguments after `aelab sweep CONFIG --index N`: every option that changes what a point runs.
    var taskOptions: [String] {
        var options = ["--runs-dir", Self.quoted(runsDirectory),
                       "--threads", threads.map(String.init) ?? "\"${SLURM_CPUS_PER_TASK:-\(cpusPerTask)}\""]
        if let stopAtEpoch { options += ["--stop-at-epoch", String(stopAtEpoch)] }
        return options + overrides.flatMap { ["--set", Self.quoted($0)] }
    }

    var sbatchLines: [String] {
        var lines = ["--job-name=\(plan.name)", "--cpus-per-task=\(cpusPerTask)", "--time=\(settings.time ?? SlurmSettings.defaultTime)"]
        if let memory = settings.memory { lines.append("--mem=\(memory)") }
        if let partition = settings.partition { lines.append("--partition=\(partition)") }
        if let account = settings.account { lines.append("--account=\(account)") }
        lines.append("--output=\(sweepDirectory)/logs/slurm-%A_%a.log")
        return lines + settings.extra.map(SlurmSettings.sbatchOption)
    }

    public func text(of array: SlurmArray) -> String {
        let last = array.firstPoint + array.tasks - 1
        let command = [Self.quoted(executable), "sweep", Self.quoted(configFile), "--index", "\"$point\""] + taskOptions
        return """
            #!/bin/bash
            #SBATCH --array=0-\(array.tasks - 1)
            \(sbatchLines.map { "#SBATCH " + $0 }.joined(separator: "\n"))
            # Points \(array.firstPoint) to \(last) of the \(plan.points.count) of \(configFile): task t runs point \(array.firstPoint) + t.
            # Submit with `\(submitCommand)`, then `aelab report \(sweepDirectory)`.
            # Resubmitting runs only what is not complete; a task whose point runs elsewhere leaves it there.
            set -euo pipefail
            if [ -z "${SLURM_ARRAY_TASK_ID:-}" ]; then
                cat >&2 <<'USAGE'
            \(path(of: array)) is a Slurm job array: task t runs point \(array.firstPoint) + t of the sweep \(plan.name),
            so it runs under Slurm, which sets SLURM_ARRAY_TASK_ID. Submit the sweep with
              \(submitCommand)
            or run one point here with `\(Self.quoted(executable)) sweep \(Self.quoted(configFile)) --index N`.
            USAGE
                exit 2
            fi
            point=$((\(array.firstPoint) + SLURM_ARRAY_TASK_ID))
            echo "Slurm task ${SLURM_ARRAY_JOB_ID:-?}_${SLURM_ARRAY_TASK_ID} of \(array.script) runs point $point"
            exec \(command.joined(separator: " "))

            """
    }

    /// Writes the scripts (executable), removing those of an earlier, larger
    /// emission, and the sweep manifest with the arrays' task-to-point map.
    public func write() throws -> [String] {
        let arrays = arrays
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(atPath: (sweepDirectory as NSString).appendingPathComponent("logs"),
                                            withIntermediateDirectories: true)
            let current = Set(arrays.map(\.script))
            for name in try fileManager.contentsOfDirectory(atPath: sweepDirectory)
            where SlurmArray.isScriptName(name) && !current.contains(name) {
                try fileManager.removeItem(atPath: (sweepDirectory as NSString).appendingPathComponent(name))
            }
            for array in arrays {
                try text(of: array).write(toFile: path(of: array), atomically: true, encoding: .utf8)
                try fileManager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path(of: array))
            }
        } catch {
            throw RunError("\(sweepDirectory): cannot write the Slurm scripts (\(error.localizedDescription))")
        }
        var manifest = SweepManifest(plan: plan)
        manifest.slurmArrays = arrays
        try manifest.write(to: sweepDirectory)
        return arrays.map(path(of:))
    }

    /// Single-quoted for bash.
    static func quoted(_ text: String) -> String {
        text.allSatisfy { $0.isLetter || $0.isNumber || "/._-=,:+".contains($0) } ? text
            : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
