import LabCore

/// An analysis that cannot run on the network or data it was given.
public struct AnalysisError: LabError, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
