import ArgumentParser
import Foundation
import LabCore
import LabRunner

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train the experiment of a config file, or resume a run directory.")

    @Argument(help: "A config file (YAML), or a run directory holding config.yaml.")
    var path: String

    @Option(help: "Folder that holds one run directory per experiment name.")
    var runsDir = "runs"

    @Option(help: "Run directory to use instead of <runs-dir>/<name>.")
    var runDir: String?

    @OptionGroup var blas: BLASThreadsOption

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a config value (YAML), e.g. --set training.epochs=500.", valueName: "key.path=value"))
    var overrides: [String] = []

    @Option(help: "Stop after this epoch, with a checkpoint; running again resumes (for jobs with a time limit).")
    var stopAtEpoch: Int?

    func run() throws {
        blas.apply()
        if let stopAtEpoch, stopAtEpoch < 1 { throw ValidationError("--stop-at-epoch must be at least 1") }
        let pipeline = ExperimentPipeline(registry: ModuleCatalog.registry, runsDirectory: runsDir)
        let (experiment, run) = try pipeline.prepare(path, runDirectory: runDir, overrides: try overrides.map(CommandLineOverride.parse))
        print("experiment \(experiment.name): \(experiment.network.parameterCount) parameters, "
              + "\(experiment.dataset.count) samples, \(experiment.training.epochs) epochs; "
              + "memory estimate \(experiment.memoryEstimate.description)")
        let progress = ProgressReporter(totalEpochs: experiment.training.epochs)
        let (outcome, findings) = try pipeline.complete(experiment, in: run, progress: progress, stopAtEpoch: stopAtEpoch)
        if outcome.epochsRun == 0 {
            print("\(run.path) is already trained to epoch \(outcome.finalEpoch) (loss \(outcome.finalLoss))")
        } else {
            if let epoch = outcome.resumedFromEpoch { print("resumed from epoch \(epoch)") }
            print(String(format: "trained to epoch %d: loss %.6g (best %.6g) in %.1f s",
                         outcome.finalEpoch, outcome.finalLoss, outcome.bestLoss, outcome.trainingSeconds)
                  + (outcome.heldoutLoss.map { String(format: "; held-out loss %.6g", $0) } ?? ""))
        }
        if let stop = outcome.stopSummary(experiment.training) { print(stop) }
        if let findings { print(CheckpointAnalyzer.render(findings)) }
        let analysis = CheckpointAnalyzer(experiment: experiment, run: run)
        print("run directory: \(run.path)")
        print("  config:      \(run.configPath)")
        print("  metrics:     \(run.metricsPath)")
        print("  checkpoints: \(run.initialCheckpointPath), \(run.lastCheckpointPath), \(run.bestCheckpointPath)")
        if FileManager.default.fileExists(atPath: analysis.results.jsonPath) {
            print("  results:     \(analysis.results.jsonPath), \(analysis.results.hdf5Path)")
        }
    }
}
