import ArgumentParser
import LabCore

/// `--threads`, shared by every command that runs BLAS.
struct BLASThreadsOption: ParsableArguments {
    @Option(help: "BLAS threads (default: OpenBLAS's choice, all cores). Fix it to compare runs bit for bit.")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be positive") }
    }

    func apply() {
        if let threads { BLAS.setThreadCount(threads) }
    }
}
