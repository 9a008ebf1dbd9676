import LabCore

/// A run directory whose lock another process holds: it is training or
/// analysing that run now, so this process leaves it alone.
public struct RunInUseError: LabError, Sendable {
    public var path: String
    /// The holder's PID, as its lock file names it.
    public var holder: Int32?

    public var description: String {
        let who = holder.map { "another process (PID \($0))" } ?? "another process"
        return "\(path): \(who) is running this run directory; wait for it to end or name another run directory"
    }
}
