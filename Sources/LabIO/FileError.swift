import LabCore

/// A file that is missing, malformed, or does not fit what it is read into
/// (a checkpoint for another network), told with its path and what was expected.
public struct FileError: LabError, Sendable {
    public var file: String
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
