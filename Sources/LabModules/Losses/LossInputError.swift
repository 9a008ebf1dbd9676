import LabCore

/// Data a loss cannot score (targets outside its domain), said plainly.
public struct LossInputError: LabError, Sendable {
    public var description: String
}
