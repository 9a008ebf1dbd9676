import CLAPACKE

/// The singular values of a real m x n matrix, through LAPACK's `dgesdd` in
/// double precision (no singular vectors).
public struct SingularValueDecomposition: Sendable {
    public let rows: Int
    public let columns: Int
    /// The min(m, n) singular values, largest first.
    public let values: [Double]

    /// The largest singular value: the operator norm (spectral norm) of the matrix.
    public var largest: Double { values.first ?? 0 }

    /// `matrix` is m x n in column-major order (a row-major Mᵀ is M column-major).
    public init(columnMajor matrix: [Double], rows m: Int, columns n: Int) throws {
        precondition(matrix.count == m * n, "an \(m) x \(n) matrix needs \(m * n) values")
        (rows, columns) = (m, n)
        let k = min(m, n)
        guard k > 0 else {
            values = []
            return
        }
        var a = matrix
        var s = [Double](repeating: 0, count: k)
        var (u, vt) = ([0.0], [0.0])
        let info = LAPACKE_dgesdd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "N")), Int32(m), Int32(n), &a, Int32(m), &s,
                                  &u, 1, &vt, 1)
        guard info == 0 else { throw SingularValueError(info: Int(info), rows: m, columns: n) }
        values = s
    }
}
