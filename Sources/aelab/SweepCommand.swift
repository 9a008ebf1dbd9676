import ArgumentParser
import Foundation
import LabCore
import LabRunner

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run every point of a config's sweep block: in parallel here, one point (--index), or as a Slurm array.",
        discussion: """
            Each point trains in <runs-dir>/<name>/<point>/ with its log in <runs-dir>/<name>/logs/. \
            Complete points are skipped and interrupted ones resume from their last checkpoint, \
            so running the same command again finishes what is left. Read the results with `aelab report`.
            """)

    @Argument(help: "A config file (YAML) with a sweep block.")
    var config: String

    @Option(help: "Points to run at once, each a process of its own.")
    var jobs = 1

    @Option(help: "Run only point i (0-based), in this process: what each task of a job array runs.")
    var index: Int?

    @Option(help: ArgumentHelp("Write job-array scripts for a cluster scheduler instead of running.", valueName: "slurm"))
    var emit: String?

    @Option(help: "Folder that holds the sweep directory <name>/.")
    var runsDir = "runs"

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a config value (YAML) in every point.", valueName: "key.path=value"))
    var overrides: [String] = []

    @Option(help: "BLAS threads per point (default: the cores divided among --jobs; Slurm: each task's cpus).")
    var threads: Int?

    @Option(help: "Stop each point after this epoch, with a checkpoint; running again resumes.")
    var stopAtEpoch: Int?

    @OptionGroup(title: "Slurm job arrays (with --emit slurm)") var slurm: SlurmOptions

    @Option(help: .hidden) var workerOf: Int32?

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be positive") }
        if let emit, emit != "slurm" { throw ValidationError("--emit takes 'slurm', got '\(emit)'") }
        if let stopAtEpoch, stopAtEpoch < 1 { throw ValidationError("--stop-at-epoch must be at least 1") }
        if emit != nil, index != nil { throw ValidationError("--emit writes scripts for every point; leave out --index") }
        if emit == nil, slurm.isGiven { throw ValidationError("the Slurm options apply to --emit slurm only") }
    }

    func run() throws {
        if let workerOf, !ProcessControl.terminateWithParent(workerOf) { throw ExitCode.failure }
        let plan = try SweepPlan(configFile: config, overrides: try overrides.map(CommandLineOverride.parse))
        let worker = SweepPointWorker(plan: plan, runsDirectory: runsDir, registry: ModuleCatalog.registry)
        if emit != nil { return try emitSlurm(plan) }
        if let index { return try runPoint(index, worker) }
        try runAll(plan, worker)
    }

    private func runPoint(_ index: Int, _ worker: SweepPointWorker) throws {
        if let threads { BLAS.setThreadCount(threads) }
        let point = try worker.point(index)
        let run = worker.runDirectory(of: point)
        print("point \(index) of \(worker.plan.points.count): \(point.label), seed \(point.seed)")
        switch try worker.run(index: index, stopAtEpoch: stopAtEpoch) {
        case .alreadyComplete:
            print("\(run.path) is complete")
        case .heldByAnotherProcess:
            print("another process is running point \(index) (\(run.path) is locked); leaving it to that process")
            // A sweep's worker tells its scheduler; a job-array task ends well, since its point is not lost.
            if workerOf != nil { throw ExitCode(SweepScheduler.heldElsewhereStatus) }
        case .ran(let outcome, let findings):
            if let epoch = outcome.resumedFromEpoch { print("resumed from epoch \(epoch)") }
            print(String(format: "trained to epoch %d: loss %.6g (best %.6g) in %.1f s",
                         outcome.finalEpoch, outcome.finalLoss, outcome.bestLoss, outcome.trainingSeconds)
                  + (outcome.heldoutLoss.map { String(format: "; held-out loss %.6g", $0) } ?? ""))
            if let findings { print(CheckpointAnalyzer.render(findings)) }
            print("run directory: \(run.path)")
        }
    }

    private func runAll(_ plan: SweepPlan, _ worker: SweepPointWorker) throws {
        try worker.checkEveryPointComposes()
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let threadsPerPoint = threads ?? max(1, cores / jobs)
        let executable = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                             ?? CommandLine.arguments[0])
        let parent = getpid()
        let scheduler = SweepScheduler(plan: plan, jobs: jobs, worker: worker, display: SweepProgressDisplay()) { point, log in
            let process = Process()
            process.executableURL = executable
            process.arguments = ["sweep", config, "--index", String(point.index), "--runs-dir", runsDir,
                                 "--threads", String(threadsPerPoint), "--worker-of", String(parent)]
                + overrides.flatMap { ["--set", $0] } + (stopAtEpoch.map { ["--stop-at-epoch", String($0)] } ?? [])
            process.standardOutput = log
            process.standardError = log
            try process.run()
            return process
        }
        let interrupt = Self.sayHowToResumeOnInterrupt(sweepDirectory: worker.sweepDirectory)
        let summary = try scheduler.run()
        interrupt.cancel()
        let failedLogs = Dictionary(summary.failed.map { ($0.label, $0.log) }, uniquingKeysWith: { first, _ in first })
        print(SweepOutcomeTable.lines(plan: plan, runDirectory: worker.runDirectory, failed: failedLogs).joined(separator: "\n"))
        print("\(summary.completed) points run, \(summary.alreadyComplete) were already complete"
              + (summary.heldElsewhere.isEmpty ? "" : ", \(summary.heldElsewhere.count) running elsewhere"))
        print("sweep directory: \(worker.sweepDirectory)  (read it with `aelab report \(worker.sweepDirectory)`)")
        guard summary.failed.isEmpty else {
            for failure in summary.failed { print("failed: \(failure.label) (exit status \(failure.status)); log: \(failure.log)") }
            throw ExitCode.failure
        }
    }

    /// On Ctrl-C: the workers end with this process; say that running the same command again resumes.
    private static func sayHowToResumeOnInterrupt(sweepDirectory: String) -> any DispatchSourceSignal {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            print("\ninterrupted: complete points are kept in \(sweepDirectory); run the same command again to finish "
                  + "the rest (interrupted points resume from their last checkpoint)")
            Glibc.exit(130)
        }
        source.resume()
        return source
    }

    private func emitSlurm(_ plan: SweepPlan) throws {
        let absolute = { (path: String) in
            path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? absolute(CommandLine.arguments[0])
        var scripts = SlurmArrayScripts(plan: plan, executable: executable, configFile: (absolute(config) as NSString).standardizingPath,
                                        runsDirectory: (absolute(runsDir) as NSString).standardizingPath)
        scripts.settings = plan.slurm.overridden(by: slurm.settings)
        (scripts.threads, scripts.stopAtEpoch, scripts.overrides) = (threads, stopAtEpoch, overrides)
        let paths = try scripts.write()
        let arrays = zip(paths, scripts.arrays).map { path, array in
            "  \(path): " + (array.tasks == 1 ? "point \(array.firstPoint)" : "points \(array.firstPoint) to \(array.firstPoint + array.tasks - 1)")
        }
        print("wrote \(paths.count == 1 ? "a job array" : "\(paths.count) job arrays") for the \(plan.points.count) points:")
        print(arrays.joined(separator: "\n"))
        print("submit with: \(scripts.submitCommand)")
        print("then read the results with `aelab report \(scripts.sweepDirectory)`; resubmitting runs only what is not complete")
    }
}
