import Foundation
import LabCore

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

    /// Trains `experiment` in `run`, creating the directory or checking that
    /// the one there holds the same resolved config.
    public func train(_ experiment: Experiment, in run: RunDirectory, progress: ProgressReporter,
                      stopAtEpoch: Int? = nil) throws -> Trainer.Outcome {
        let yaml = try experiment.resolvedYAML
        if run.exists {
            // Both sides are resolved configs written by the same code, so equal
            // experiments have equal text; a difference is shown at its first line.
            let stored = (try? String(contentsOfFile: run.configPath, encoding: .utf8)) ?? ""
            if stored != yaml {
                let storedLines = stored.split(separator: "\n", omittingEmptySubsequences: false)
                let newLines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
                let index = zip(storedLines, newLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                    ?? min(storedLines.count, newLines.count)
                let was = index < storedLines.count ? String(storedLines[index]) : "(end of file)"
                let now = index < newLines.count ? String(newLines[index]) : "(end of file)"
                throw RunError("\(run.configPath):\(index + 1): this run directory holds a different experiment ('\(was.trimmingCharacters(in: .whitespaces))', now '\(now.trimmingCharacters(in: .whitespaces))'); name another run directory or remove this one")
            }
        } else {
            try run.create(resolvedConfigYAML: yaml)
        }
        return try Trainer(experiment: experiment, run: run, progress: progress, stopAtEpoch: stopAtEpoch).train()
    }

    /// Trains `experiment` in `run` to its last epoch (or `stopAtEpoch`),
    /// then runs its analyses on the last checkpoint unless results from the
    /// same training are already there, and marks the run complete. The
    /// returned findings are nil when no analysis ran now.
    public func complete(_ experiment: Experiment, in run: RunDirectory, progress: ProgressReporter,
                         stopAtEpoch: Int? = nil) throws -> (outcome: Trainer.Outcome, findings: [CheckpointAnalyzer.Finding]?) {
        let outcome = try train(experiment, in: run, progress: progress, stopAtEpoch: stopAtEpoch)
        guard outcome.finalEpoch == experiment.training.epochs else { return (outcome, nil) }
        let analysis = CheckpointAnalyzer(experiment: experiment, run: run)
        var findings: [CheckpointAnalyzer.Finding]?
        if !experiment.analyses.isEmpty, outcome.epochsRun > 0 || !FileManager.default.fileExists(atPath: analysis.results.jsonPath) {
            findings = try analysis.analyze(checkpoint: run.lastCheckpointPath)
        }
        try run.markComplete()
        return (outcome, findings)
    }
}
