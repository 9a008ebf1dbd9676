import LabCore

/// A failed HDF5 call, naming the file, the object and what was attempted.
public struct HDF5Error: LabError, Sendable {
    public var file: String
    public var object: String
    public var action: String

    public var description: String { "\(file): cannot \(action) '\(object)'" }
}
