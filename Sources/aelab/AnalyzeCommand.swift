import ArgumentParser
import Foundation
import LabCore
import LabRunner

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Run a config's analyses on saved weights, without training.",
        discussion: "Writes results.json and results.h5 into the run directory and prints a table per analysis.")

    @Argument(help: "A run directory, or a checkpoint file (.h5) inside one.")
    var path: String

    @Option(help: "Which checkpoint of the run directory: last, best, init (the weights before the first step), or a file.")
    var checkpoint = "last"

    @Option(help: "Take the analyses from this config file instead of the run's own.")
    var analyses: String?

    @OptionGroup var blas: BLASThreadsOption

    func run() throws {
        blas.apply()
        let registry = ModuleCatalog.registry
        let isCheckpointFile = path.hasSuffix(".h5")
        let runPath = isCheckpointFile ? (path as NSString).deletingLastPathComponent : path
        let (ownExperiment, run) = try ExperimentPipeline(registry: registry).prepare(runPath.isEmpty ? "." : runPath)
        let checkpointPath = isCheckpointFile ? path
            : ["last": run.lastCheckpointPath, "best": run.bestCheckpointPath, "init": run.initialCheckpointPath][checkpoint] ?? checkpoint
        let experiment = try analyses.map { try ExperimentBuilder(registry: registry).experiment(ownExperiment, analysesOf: $0) }
            ?? ownExperiment
        guard !experiment.analyses.isEmpty else {
            throw RunError("\(analyses ?? run.configPath): lists no analyses (add e.g. 'analyses: [attractors]')")
        }
        let analyzer = CheckpointAnalyzer(experiment: experiment, run: run)
        let findings = try analyzer.analyze(checkpoint: checkpointPath)
        print(CheckpointAnalyzer.render(findings))
        print("results: \(analyzer.results.jsonPath), \(analyzer.results.hdf5Path)")
    }
}
