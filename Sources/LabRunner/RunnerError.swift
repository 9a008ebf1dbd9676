/// A problem with a run as a whole (a file, a run directory), told in one sentence
/// that starts with the path it concerns.
public struct RunnerError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
