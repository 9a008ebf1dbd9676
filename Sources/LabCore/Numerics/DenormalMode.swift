import CKernels
import Synchronization

/// Whether floats below the smallest normal (about 1.2e-38) are flushed to
/// zero, as results and as inputs. IEEE gradual underflow (the default) keeps
/// them, and on x86 every operation that produces or reads one takes a
/// microcode assist of a hundred cycles or more: RMSprop's second moment of
/// a deep ReLU net's dead units decays into that range, and its update loop
/// slows several times. Training sets the mode from `training.flush_denormals`.
///
/// The mode is per thread: setting it applies it to the calling thread, and
/// `ParallelLoop` applies it in each chunk, so every elementwise kernel sees
/// the same mode whichever thread runs it. OpenBLAS's own worker threads
/// (started when the library loads) keep gradual underflow; its split of a
/// product across them is fixed for a thread count, so results stay
/// deterministic for a fixed thread count either way.
public enum DenormalMode {
    private static let flushing = Atomic<Bool>(false)

    public static var flushesToZero: Bool { flushing.load(ordering: .relaxed) }

    /// Sets the mode for the process's numerical work from now on. Returns
    /// false where the CPU has no flush-to-zero mode.
    @discardableResult
    public static func setFlushesToZero(_ enabled: Bool) -> Bool {
        flushing.store(enabled, ordering: .relaxed)
        return aelab_flush_denormals(enabled ? 1 : 0) != 0
    }

    /// Puts the calling thread in the process's mode.
    static func applyToCurrentThread() {
        _ = aelab_flush_denormals(flushesToZero ? 1 : 0)
    }
}
