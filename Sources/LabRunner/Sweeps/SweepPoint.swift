import LabCore

/// One experiment of a sweep: a variant, one value per grid key, a repeat.
public struct SweepPoint: Sendable {
    /// Position in the sweep: task i of a job array runs point i.
    public let index: Int
    /// The run directory's name within the sweep directory.
    public let label: String
    public let variant: String?
    /// (key path, value as written) for every grid key, in declaration order.
    public let coordinates: [(keyPath: String, value: String)]
    public let repeatIndex: Int
    public let seed: Int
    /// The point's whole config: the base with its values put in.
    public let config: ConfigNode
}
