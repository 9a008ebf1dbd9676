import CKernels
import Foundation

/// What a sweep's processes ask of the operating system: an exclusive lock
/// on a file, so two processes never train one point, and an end with the
/// parent, so workers do not outlive the `aelab sweep` that started them.
public enum ProcessControl {
    /// Makes this process receive SIGTERM when `parent` dies; false when `parent` is gone already.
    public static func terminateWithParent(_ parent: Int32) -> Bool {
        aelab_exit_with_parent(parent) == 0
    }

    /// Runs `body` holding an exclusive lock on `path` (created if missing, and
    /// given this process's PID), released when it returns; nil, without
    /// running it, when another process holds the lock.
    public static func withExclusiveLock<T>(on path: String, _ body: () throws -> T) throws -> T? {
        let descriptor = aelab_try_lock(path)
        if descriptor == -2 { return nil }
        guard descriptor >= 0 else { throw RunError("\(path): cannot open or write the lock file") }
        defer { close(descriptor) }
        return try body()
    }

    /// The PID the lock file at `path` names: the process holding it, or the last one that did.
    public static func lockHolder(of path: String) -> Int32? {
        (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}
