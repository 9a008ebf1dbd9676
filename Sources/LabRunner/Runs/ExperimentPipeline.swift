import Foundation
import LabCore
import LabIO

/// An experiment's way from config to complete run, as `aelab run` and each
/// sweep point take it: finds or creates the run directory for a config (or
/// takes an existing run directory), checks that a run already there is the
/// same experiment, trains, resuming from its last checkpoint, then analyses.
public struct ExperimentPipeline {
    public var registry: Registry
    /// Where runs go when no run directory is named: `<runsDirectory>/<name>`.
    public var runsDirectory: String

    public init(registry: Registry, runsDirectory: String = "runs") {
        self.registry = registry
        self.runsDirectory = runsDirectory
    }

    /// The experiment and run directory for `path`: a config file, or a run
    /// directory holding `config.yaml`. Reads only; writes nothing.
    public func prepare(_ path: String, runDirectory explicitRunDirectory: String? = nil,
                        overrides: [ConfigOverride] = []) throws -> (Experiment, RunDirectory) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw RunError("\(path): no such config file or run directory")
        }
        if isDirectory.boolValue {
            let run = RunDirectory(path: explicitRunDirectory ?? path)
            let configPath = RunDirectory(path: path).configPath
            guard FileManager.default.fileExists(atPath: configPath) else {
                throw RunError("\(path): is a directory without config.yaml, so not a run directory")
            }
            return (try ExperimentBuilder(registry: registry).experiment(configFile: configPath, overrides: overrides), run)
        }
        let experiment = try ExperimentBuilder(registry: registry).experiment(configFile: path, overrides: overrides)
        let run = RunDirectory(path: explicitRunDirectory ?? (runsDirectory as NSString).appendingPathComponent(experiment.name))
        return (experiment, run)
    }

    /// Trains `experiment` in `run` under the run's lock, creating the
    /// directory or checking that the one there holds the same resolved config.
    public func train(_ experiment: Experiment, in run: RunDirectory, progress: ProgressReporter,
                      stopAtEpoch: Int? = nil) throws -> Trainer.Outcome {
        try holdingLock(of: run, for: experiment) {
            try Trainer(experiment: experiment, run: run, progress: progress, stopAtEpoch: stopAtEpoch).train()
        }
    }

    /// Trains `experiment` in `run` to its last epoch, or the first below its
    /// stop rule's threshold (or `stopAtEpoch`), then runs its analyses on the last checkpoint unless results from the
    /// same training are already there, and marks the run complete, all under
    /// the run's lock. The returned findings are nil when no analysis ran now.
    public func complete(_ experiment: Experiment, in run: RunDirectory, progress: ProgressReporter,
                         stopAtEpoch: Int? = nil) throws -> (outcome: Trainer.Outcome, findings: [CheckpointAnalyzer.Finding]?) {
        if let finished = try finishedOutcome(of: run, for: experiment) { return (finished, nil) }
        return try holdingLock(of: run, for: experiment) {
            let outcome = try Trainer(experiment: experiment, run: run, progress: progress, stopAtEpoch: stopAtEpoch).train()
            guard outcome.isComplete else { return (outcome, nil) }
            let analysis = CheckpointAnalyzer(experiment: experiment, run: run)
            var findings: [CheckpointAnalyzer.Finding]?
            if !experiment.analyses.isEmpty, outcome.epochsRun > 0 || !FileManager.default.fileExists(atPath: analysis.results.jsonPath) {
                findings = try analysis.analyze(checkpoint: run.lastCheckpointPath)
            }
            try run.markComplete()
            return (outcome, findings)
        }
    }

    /// What a complete run of `experiment` holds, read without writing a
    /// byte (no lock, no metrics, no marker), so a read-only copy of finished
    /// results still answers; nil when the run is not complete or its results are missing.
    func finishedOutcome(of run: RunDirectory, for experiment: Experiment) throws -> Trainer.Outcome? {
        // Results gone from a complete run: analyse again, under the lock.
        guard run.isComplete, experiment.analyses.isEmpty || FileManager.default.fileExists(atPath: ResultsFile(run: run).jsonPath)
        else { return nil }
        try run.checkCanHold(resolvedConfigYAML: try experiment.resolvedYAML)
        let checkpoint = try Checkpoint.read(from: run.lastCheckpointPath)
        try checkpoint.check(belongsTo: experiment, file: run.lastCheckpointPath)
        guard let stop = checkpoint.stop ?? (checkpoint.epoch == experiment.training.epochs ? .epochs : nil) else { return nil }
        return Trainer.Outcome(epochsRun: 0, finalEpoch: checkpoint.epoch, finalLoss: checkpoint.loss,
                               bestLoss: (try? Checkpoint.storedLoss(at: run.bestCheckpointPath)) ?? checkpoint.loss,
                               trainingSeconds: checkpoint.trainingSeconds, resumedFromEpoch: nil, stop: stop)
    }

    /// Runs `body` holding `run`'s lock (`<run>/.lock`), once the directory is
    /// known to be missing, empty or a run of `experiment`, with its config
    /// written and what a killed writer left removed. Throws `RunInUseError`
    /// naming the holder when another process has the lock.
    func holdingLock<T>(of run: RunDirectory, for experiment: Experiment, _ body: () throws -> T) throws -> T {
        let yaml = try experiment.resolvedYAML
        try run.checkCanHold(resolvedConfigYAML: yaml)
        try run.createDirectory()
        let result = try ProcessControl.withExclusiveLock(on: run.lockPath) { () throws -> T in
            // Checked again: another process may have started this run before we held the lock.
            try run.checkCanHold(resolvedConfigYAML: yaml)
            if !run.exists { try run.create(resolvedConfigYAML: yaml) }
            try run.removeTemporaryFiles()
            return try body()
        }
        guard let result else { throw RunInUseError(path: run.path, holder: ProcessControl.lockHolder(of: run.lockPath)) }
        return result
    }
}
