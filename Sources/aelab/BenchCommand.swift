import ArgumentParser

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks that print figures.",
        subcommands: [StepBenchCommand.self, AnalysisBenchCommand.self, LayerBenchCommand.self],
        defaultSubcommand: StepBenchCommand.self)
}
