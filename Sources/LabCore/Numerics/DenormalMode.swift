import CKernels

/// Whether floats below the smallest normal (about 1.2e-38) are flushed to
/// zero, as results and as inputs. IEEE gradual underflow (the default) keeps
/// them, and on x86 every operation that produces or reads one takes a
/// microcode assist of a hundred cycles or more: RMSprop's second moment of
/// a deep ReLU net's dead units decays into that range, and its update loop
/// slows down. Training sets the mode from `training.flush_denormals` for
/// its duration.
///
/// The mode belongs to a thread, and `ParallelLoop` (and the row-split
/// products) hand the calling thread's mode to every chunk, so each kernel
/// sees its caller's mode whichever thread runs it, and nothing outside the
/// training changes. OpenBLAS's own worker threads (started when the library
/// loads) keep gradual underflow; its split of a product across them is
/// fixed for a thread count, so results stay deterministic for a fixed
/// thread count either way.
public enum DenormalMode {
    /// The calling thread's mode.
    public static var flushesToZero: Bool { aelab_flushes_denormals() != 0 }

    /// Sets the calling thread's mode. Returns false where the CPU has no
    /// flush-to-zero mode.
    @discardableResult
    public static func setFlushesToZero(_ enabled: Bool) -> Bool {
        aelab_flush_denormals(enabled ? 1 : 0) != 0
    }
}
