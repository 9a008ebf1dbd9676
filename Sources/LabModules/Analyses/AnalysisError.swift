/// An analysis that cannot run on the network or data it was given.
public struct AnalysisError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
