import CBLAS

/// Process-wide settings of the BLAS library.
public enum BLAS {
    /// Threads OpenBLAS uses for one call. Results can differ in the last bits
    /// between thread counts, so runs compared bit for bit must fix this.
    public static var threadCount: Int {
        Int(openblas_get_num_threads())
    }

    public static func setThreadCount(_ count: Int) {
        precondition(count > 0, "thread count must be positive")
        openblas_set_num_threads(Int32(count))
    }
}
