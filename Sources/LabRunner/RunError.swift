import LabCore

/// A problem with a run as a whole (a file, a run directory), told in one sentence
/// that starts with the path it concerns.
public struct RunError: LabError, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
