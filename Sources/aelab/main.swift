import ArgumentParser

/// The `aelab` command. Subcommands live one per file beside this one.
struct AutoencoderLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aelab",
        abstract: "Train autoencoders from YAML configs and study what they memorise.",
        subcommands: [RunCommand.self, BenchCommand.self])
}

AutoencoderLab.main()
