import ArgumentParser
import LabCore

/// `--threads`, shared by every command that runs BLAS.
struct BLASThreadsOption: ParsableArguments {
    // Unconditional parsing takes "-1" as the value it is, so the check below can say what is wrong with it.
    @Option(parsing: .unconditional, help: "BLAS threads (default: OpenBLAS's choice, all cores). Fix it to compare runs bit for bit.")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads \(threads): must be a whole number >= 1") }
    }

    func apply() {
        if let threads { BLAS.setThreadCount(threads) }
    }
}
