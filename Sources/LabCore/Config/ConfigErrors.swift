/// Several independent config mistakes, reported together one per line:
/// every unknown key first, then each block's first wrong value.
public struct ConfigErrors: LabError, Sendable {
    public let errors: [any LabError & Sendable]

    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }

    /// Unknown keys first, in the order they are written, then the rest in
    /// the order found, each once; errors that already gather several are taken apart.
    init(_ errors: [any Error]) {
        let flat = errors.flatMap { error -> [any LabError & Sendable] in
            if let many = error as? ConfigErrors { return many.errors }
            if let one = error as? any LabError & Sendable { return [one] }
            return [UnexpectedError(description: String(describing: error))]
        }
        // An unknown key found twice (before and after reading) is one mistake.
        var seen: Set<String> = []
        let distinct = flat.filter { error in
            guard let config = error as? ConfigError, config.isUnknownKey else { return seen.insert(error.description).inserted }
            return seen.insert("\(config.location) \(config.keyPath)").inserted
        }
        let unknown = distinct.compactMap { $0 as? ConfigError }.filter(\.isUnknownKey)
            .sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
        self.errors = unknown + distinct.filter { ($0 as? ConfigError)?.isUnknownKey != true }
    }

    /// Throws nothing for no errors, the error itself for one, all of them for more.
    public static func throwIfAny(_ errors: [any Error]) throws {
        switch errors.count {
        case 0: return
        case 1: throw errors[0]
        default:
            let gathered = ConfigErrors(errors)
            if gathered.errors.count == 1 { throw gathered.errors[0] }
            throw gathered
        }
    }

    /// An error from outside the framework, kept by its description.
    struct UnexpectedError: LabError, Sendable {
        let description: String
    }
}
