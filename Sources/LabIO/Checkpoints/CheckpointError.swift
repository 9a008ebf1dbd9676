import LabCore

/// A checkpoint that does not fit what it is loaded into, or is not ours.
public struct CheckpointError: LabError, Sendable {
    public var file: String
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
