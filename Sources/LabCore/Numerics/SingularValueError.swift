/// LAPACK's `gesdd` failed: a negative `info` is an invalid argument, a
/// positive one means the divide-and-conquer step did not converge.
public struct SingularValueError: LabError, Sendable {
    public let info: Int
    public let rows: Int
    public let columns: Int

    public var description: String {
        info < 0 ? "dgesdd: argument \(-info) is invalid (\(rows) x \(columns))"
            : "dgesdd: the singular values did not converge (\(rows) x \(columns), info \(info))"
    }
}
