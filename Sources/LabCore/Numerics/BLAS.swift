import CBLAS

/// Process-wide settings of the BLAS library.
public enum BLAS {
    /// Threads OpenBLAS uses for one call. Results can differ in the last bits
    /// between thread counts, so runs compared bit for bit must fix this.
    public static var threadCount: Int {
        Int(openblas_get_num_threads())
    }

    /// The CPU OpenBLAS chose its kernels for when it loaded ("Haswell",
    /// "SkylakeX", ...): from OPENBLAS_CORETYPE if set, else its own probe.
    public static var coreName: String {
        String(cString: openblas_get_corename())
    }

    /// "2 BLAS threads, OpenBLAS Haswell kernels": what a benchmark's figures
    /// depend on, for its header (scripts/compare-pytorch reads it back).
    public static var settingsDescription: String {
        "\(threadCount) BLAS threads, OpenBLAS \(coreName) kernels"
    }

    public static func setThreadCount(_ count: Int) {
        precondition(count > 0, "thread count must be positive")
        openblas_set_num_threads(Int32(count))
    }
}
