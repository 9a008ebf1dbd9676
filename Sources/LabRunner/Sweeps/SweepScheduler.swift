import Foundation

/// Runs a sweep's unfinished points as parallel worker processes, at most
/// `jobs` at a time, each writing its own log; complete points are skipped
/// and interrupted ones resume (the workers do both, see SweepPointWorker).
/// Workers die with the scheduler, so stopping it stops the sweep.
public final class SweepScheduler {
    public let plan: SweepPlan
    public let jobs: Int
    let sweepDirectory: String
    let runDirectory: (SweepPoint) -> RunDirectory
    /// Starts the worker for a point, its output going to the log file handle.
    let launch: (SweepPoint, FileHandle) throws -> Process
    let display: SweepProgressDisplay

    /// Exit status of a worker that found its point held by another process.
    public static let heldElsewhereStatus: Int32 = 3

    public init(plan: SweepPlan, jobs: Int, worker: SweepPointWorker, display: SweepProgressDisplay,
                launch: @escaping (SweepPoint, FileHandle) throws -> Process) {
        self.plan = plan
        self.jobs = jobs
        sweepDirectory = worker.sweepDirectory
        runDirectory = worker.runDirectory
        self.display = display
        self.launch = launch
    }

    public struct Summary {
        public var alreadyComplete = 0
        public var completed = 0
        public var heldElsewhere: [String] = []
        public var failed: [(label: String, status: Int32, log: String)] = []
    }

    public func logPath(of point: SweepPoint) -> String {
        (sweepDirectory as NSString).appendingPathComponent("logs/\(point.label).log")
    }

    public func run() throws -> Summary {
        try SweepManifest(plan: plan).write(to: sweepDirectory)
        try FileManager.default.createDirectory(atPath: (sweepDirectory as NSString).appendingPathComponent("logs"),
                                                withIntermediateDirectories: true)
        var summary = Summary()
        var pending = plan.points.filter { !runDirectory($0).isComplete }[...]
        summary.alreadyComplete = plan.points.count - pending.count
        var running: [(point: SweepPoint, process: Process, log: FileHandle, started: ContinuousClock.Instant)] = []
        var durations: [Double] = []
        let clock = ContinuousClock()
        let start = clock.now
        display.begin(plan: plan, alreadyComplete: summary.alreadyComplete, jobs: jobs)

        while !pending.isEmpty || !running.isEmpty {
            while running.count < jobs, let point = pending.popFirst() {
                let path = logPath(of: point)
                if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
                guard let log = FileHandle(forWritingAtPath: path) else { throw RunError("\(path): cannot open the log") }
                log.seekToEndOfFile()
                log.write(Data("== \(Date()) point \(point.index) (\(point.label))\n".utf8))
                running.append((point, try launch(point, log), log, clock.now))
                display.started(point)
            }
            Thread.sleep(forTimeInterval: 0.2)
            var stillRunning: [(point: SweepPoint, process: Process, log: FileHandle, started: ContinuousClock.Instant)] = []
            for worker in running {
                guard !worker.process.isRunning else {
                    stillRunning.append(worker)
                    continue
                }
                try? worker.log.close()
                let status = worker.process.terminationStatus
                switch status {
                case 0:
                    summary.completed += 1
                    durations.append((clock.now - worker.started).inSeconds)
                case Self.heldElsewhereStatus:
                    summary.heldElsewhere.append(worker.point.label)
                default:
                    summary.failed.append((worker.point.label, status, logPath(of: worker.point)))
                }
                display.finished(worker.point, status: status)
            }
            running = stillRunning
            let lines = running.map { SweepProgressDisplay.lastLine(of: logPath(of: $0.point)) }
            let eta = Self.secondsLeft(pending: pending.count, finishedDurations: durations,
                                       running: zip(running, lines).map { ((clock.now - $0.started).inSeconds, SweepProgressDisplay.secondsLeft(inLine: $1)) },
                                       jobs: jobs)
            display.refresh(done: summary.alreadyComplete + summary.completed, failed: summary.failed.count,
                            running: zip(running, lines).map { ($0.point, $1) },
                            pending: pending.count, elapsed: (clock.now - start).inSeconds, secondsLeft: eta)
        }
        display.end()
        return summary
    }

    /// The sweep's time left: the running points' own ETAs (from their
    /// progress lines) and an average point for each pending one, the
    /// average taken over finished points, or running ones' elapsed + ETA
    /// before any finished; spread over `jobs`, and never less than the
    /// longest running point still needs. Nil while nothing is known.
    static func secondsLeft(pending: Int, finishedDurations: [Double], running: [(elapsed: Double, left: Double?)], jobs: Int) -> Double? {
        let estimates = finishedDurations.isEmpty ? running.compactMap { point in point.left.map { point.elapsed + $0 } } : finishedDurations
        let average = estimates.isEmpty ? nil : estimates.reduce(0, +) / Double(estimates.count)
        var runningLeft: [Double] = []
        for point in running {
            guard let left = point.left ?? average.map({ max($0 - point.elapsed, 0) }) else { return nil }
            runningLeft.append(left)
        }
        if pending > 0 && average == nil { return nil }
        let work = runningLeft.reduce(0, +) + Double(pending) * (average ?? 0)
        return max(work / Double(max(jobs, 1)), runningLeft.max() ?? 0)
    }
}
