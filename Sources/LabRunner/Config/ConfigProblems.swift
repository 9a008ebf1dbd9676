import LabCore

/// The mistakes found while composing the independent blocks of a config,
/// so that one run of `aelab check` reports all of them rather than the first.
struct ConfigProblems {
    private(set) var errors: [any Error] = []

    /// `body`'s value, or nil with its error kept when it throws one of the
    /// framework's own errors (anything else is a fault and passes through).
    mutating func attempt<Value>(_ body: () throws -> Value?) throws -> Value? {
        do {
            return try body()
        } catch let error as any LabError {
            errors.append(error)
            return nil
        }
    }

    /// Mistakes found without composing (unknown keys of a block that cannot be built).
    mutating func add(_ found: [any Error]) {
        errors += found
    }

    func throwIfAny() throws {
        try ConfigErrors.throwIfAny(errors)
    }
}
