/// LAPACK's `gesvd` failed: a negative `info` is an invalid argument, a
/// positive one means the bidiagonal QR iteration did not converge.
public struct SingularValueError: LabError, Sendable {
    public let info: Int
    public let rows: Int
    public let columns: Int

    public var description: String {
        info < 0 ? "dgesvd: argument \(-info) is invalid (\(rows) x \(columns))"
            : "dgesvd: \(info) superdiagonals did not converge (\(rows) x \(columns))"
    }
}
