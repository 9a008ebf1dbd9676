import ArgumentParser
import Foundation
import LabCore
import LabRunner

/// The `aelab` command. Subcommands live one per file beside this one.
struct AutoencoderLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aelab",
        abstract: "Train autoencoders from YAML configs and study what they memorise.",
        subcommands: [RunCommand.self, CheckCommand.self, SweepCommand.self, ReportCommand.self, AnalyzeCommand.self, ListCommand.self, BenchCommand.self])
}

MemoryPolicy.reuseLargeAllocations()

// Our own errors already say file, line and what is allowed, compiler-style:
// print them as they are. ArgumentParser reports usage mistakes its own way.
do {
    var command = try AutoencoderLab.parseAsRoot()
    try command.run()
} catch let error as any LabError {
    let prefix = error is ConfigError || error is ConfigErrors ? "" : "error: "  // config errors begin "file:line:column: error:"
    FileHandle.standardError.write(Data("\(prefix)\(error)\n".utf8))
    exit(1)
} catch {
    AutoencoderLab.exit(withError: error)
}
