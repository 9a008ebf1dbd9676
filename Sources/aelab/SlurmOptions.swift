import ArgumentParser
import LabRunner

/// `aelab sweep --emit slurm`'s `#SBATCH` settings; each overrides the
/// config's `slurm` block.
struct SlurmOptions: ParsableArguments {
    @Option(help: "Each task's time limit, as sbatch --time takes it (default: slurm.time, else 24:00:00).")
    var time: String?

    @Option(help: "Memory per task's node, as sbatch --mem takes it (4G).")
    var memory: String?

    @Option(help: "The partition (queue) to run in.")
    var partition: String?

    @Option(help: "The account charged.")
    var account: String?

    @Option(help: "CPUs per task, also its BLAS threads unless --threads (default: slurm.cpus_per_task, else --threads, else 2).")
    var cpusPerTask: Int?

    @Option(help: "Tasks per job array, at most the cluster's MaxArraySize (default: slurm.array_limit, else 1000).")
    var arrayLimit: Int?

    @Option(name: .customLong("sbatch"), help: ArgumentHelp("Another sbatch option for every array.", valueName: "--option=value"))
    var extra: [String] = []

    var settings: SlurmSettings {
        var settings = SlurmSettings()
        (settings.time, settings.memory, settings.partition, settings.account) = (time, memory, partition, account)
        (settings.cpusPerTask, settings.arrayLimit, settings.extra) = (cpusPerTask, arrayLimit, extra)
        return settings
    }

    var isGiven: Bool { settings != SlurmSettings() }

    func validate() throws {
        if let cpusPerTask, cpusPerTask < 1 { throw ValidationError("--cpus-per-task must be at least 1") }
        if let arrayLimit, arrayLimit < 1 { throw ValidationError("--array-limit must be at least 1") }
        let texts: [(key: String, option: String, value: String?)] = [("time", "--time", time), ("memory", "--memory", memory), ("partition", "--partition", partition),
                     ("account", "--account", account)] + extra.map { ("extra", "--sbatch", $0) }
        for case let (key, option, value?) in texts {
            if let problem = SlurmSettings.problem(with: value, key: key) {
                throw ValidationError("\(option): \(problem) (allowed: \(SlurmSettings.allowedText[key] ?? ""))")
            }
        }
    }
}
