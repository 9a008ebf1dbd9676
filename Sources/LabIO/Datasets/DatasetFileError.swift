import LabCore

/// A dataset file that is missing or not in the format it should be, told
/// with the file's path and what was expected.
public struct DatasetFileError: LabError, Sendable {
    public var file: String
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
