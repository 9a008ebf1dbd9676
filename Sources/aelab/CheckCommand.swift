import ArgumentParser
import Foundation
import LabCore
import LabRunner

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Compose the experiments of a config file and report every mistake, without training or writing anything.",
        discussion: "Prints each experiment's parameters, samples and memory estimate; a sweep file is checked point by point.")

    @Argument(help: "A config file (YAML), with or without a sweep block.")
    var config: String

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a config value (YAML), e.g. --set training.epochs=500.", valueName: "key.path=value"))
    var overrides: [String] = []

    func run() throws {
        let overrides = try overrides.map(CommandLineOverride.parse)
        var builder = ExperimentBuilder(registry: ModuleCatalog.registry)
        builder.initializesParameters = false
        let root = try YAMLConfigLoader.load(file: config)
        guard root["sweep"] != nil else {
            describe(try builder.experiment(configFile: config, overrides: overrides))
            return
        }
        let plan = try SweepPlan(configFile: config, overrides: overrides)
        for point in plan.points {
            print("point \(point.label): ", terminator: "")
            describe(try builder.experiment(point: point, of: plan))
        }
    }

    private func describe(_ experiment: Experiment) {
        print("experiment \(experiment.name): \(experiment.network.parameterCount) parameters, "
              + "\(experiment.dataset.count) samples, \(experiment.training.epochs) epochs; "
              + "memory estimate \(experiment.memoryEstimate.description) of \(MemoryEstimate.format(MemoryEstimate.physicalMemory))")
    }
}
