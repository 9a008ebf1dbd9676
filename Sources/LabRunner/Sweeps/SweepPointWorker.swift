import Foundation
import LabCore

/// Trains and analyses one point of a sweep in this process: task i of a job array, or one
/// worker of `aelab sweep --jobs N`. The run directory's lock keeps two
/// processes off one point; a complete run is skipped, an interrupted one resumes
/// from its last checkpoint.
public struct SweepPointWorker {
    public let plan: SweepPlan
    public let runsDirectory: String
    public let registry: Registry

    public init(plan: SweepPlan, runsDirectory: String, registry: Registry) {
        self.plan = plan
        self.runsDirectory = runsDirectory
        self.registry = registry
    }

    public var sweepDirectory: String { plan.directory(runsDirectory: runsDirectory) }

    public func runDirectory(of point: SweepPoint) -> RunDirectory {
        RunDirectory(path: (sweepDirectory as NSString).appendingPathComponent(point.label))
    }

    public enum Outcome {
        case alreadyComplete
        case heldByAnotherProcess
        case ran(Trainer.Outcome, findings: [CheckpointAnalyzer.Finding]?)
    }

    /// Composes the first unfinished repeat of every cell (repeats differ
    /// only in their seed), so a bad grid value fails the sweep before any
    /// point starts instead of when its point comes up. Writes nothing.
    public func checkEveryPointComposes() throws {
        var checked = Set<[String]>()
        let builder = ExperimentBuilder(registry: registry)
        for point in plan.points where !runDirectory(of: point).isComplete {
            guard checked.insert([point.variant ?? ""] + point.coordinates.map(\.value)).inserted else { continue }
            do {
                _ = try builder.experiment(point: point, of: plan)
            } catch {
                throw RunError("point \(point.index) (\(point.label)) of \(plan.configFile): \(error)")
            }
        }
    }

    /// Point `index`, or an error saying how many points there are.
    public func point(_ index: Int) throws -> SweepPoint {
        guard plan.points.indices.contains(index) else {
            throw RunError("\(plan.configFile): the sweep has \(plan.points.count) points (0 to \(plan.points.count - 1)), so no point \(index)")
        }
        return plan.points[index]
    }

    /// Runs point `index`, its progress line going to standard output.
    public func run(index: Int, stopAtEpoch: Int? = nil) throws -> Outcome {
        let point = try point(index)
        try SweepManifest(plan: plan).write(to: sweepDirectory)
        let run = runDirectory(of: point)
        if run.isComplete { return .alreadyComplete }
        let experiment = try ExperimentBuilder(registry: registry).experiment(point: point, of: plan)
        let pipeline = ExperimentPipeline(registry: registry, runsDirectory: runsDirectory)
        let progress = ProgressReporter(totalEpochs: experiment.training.epochs)
        do {
            let (outcome, findings) = try pipeline.complete(experiment, in: run, progress: progress, stopAtEpoch: stopAtEpoch)
            return .ran(outcome, findings: findings)
        } catch is RunInUseError {
            return .heldByAnotherProcess
        }
    }
}
