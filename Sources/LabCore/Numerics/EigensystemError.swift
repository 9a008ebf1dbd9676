/// LAPACK's `geev` failed: a negative `info` is an invalid argument, a positive
/// one means the QR algorithm did not converge.
public struct EigensystemError: LabError, Sendable {
    public let info: Int
    public let dimension: Int

    public var description: String {
        info < 0 ? "dgeev: argument \(-info) is invalid (n = \(dimension))"
            : "dgeev: the QR algorithm did not converge for \(info) eigenvalues (n = \(dimension))"
    }
}
