import CLAPACKE

/// Eigenvalues (and optionally right eigenvectors) of a real square matrix,
/// through LAPACK's `dgeev` in double precision.
public struct Eigensystem: Sendable {
    public let dimension: Int
    public let real: [Double]
    public let imaginary: [Double]
    /// Column-major n x n as LAPACK returns them: a real eigenvalue's vector is
    /// its column; a complex pair j, j+1 has vector column j ± i column j+1.
    let vectors: [Double]?

    public var moduli: [Double] { zip(real, imaginary).map { ($0 * $0 + $1 * $1).squareRoot() } }
    public var spectralRadius: Double { moduli.max() ?? 0 }

    /// Indices of the eigenvalues by decreasing modulus.
    public var indicesByModulus: [Int] {
        let moduli = self.moduli
        return moduli.indices.sorted { moduli[$0] > moduli[$1] }
    }

    /// `matrix` is n x n in column-major order (a row-major Mᵀ is M column-major).
    public init(columnMajor matrix: [Double], dimension n: Int, computeVectors: Bool) throws {
        precondition(matrix.count == n * n, "an \(n) x \(n) matrix needs \(n * n) values")
        dimension = n
        guard n > 0 else {
            (real, imaginary, vectors) = ([], [], computeVectors ? [] : nil)
            return
        }
        var a = matrix
        var wr = [Double](repeating: 0, count: n)
        var wi = [Double](repeating: 0, count: n)
        var vl = [Double](repeating: 0, count: 1)
        var vr = [Double](repeating: 0, count: computeVectors ? n * n : 1)
        let info = LAPACKE_dgeev(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "N")), Int8(UInt8(ascii: computeVectors ? "V" : "N")),
                                 Int32(n), &a, Int32(n), &wr, &wi, &vl, 1, &vr, Int32(n))
        guard info == 0 else { throw EigensystemError(info: Int(info), dimension: n) }
        real = wr
        imaginary = wi
        vectors = computeVectors ? vr : nil
    }

    /// The right eigenvector of eigenvalue `index` as (real part, imaginary part).
    public func vector(_ index: Int) -> (real: [Double], imaginary: [Double])? {
        guard let vectors else { return nil }
        let n = dimension
        func column(_ j: Int) -> [Double] { Array(vectors[(j * n)..<((j + 1) * n)]) }
        if imaginary[index] == 0 { return (column(index), [Double](repeating: 0, count: n)) }
        // LAPACK stores the pair's first member (positive imaginary part) first.
        let first = index > 0 && imaginary[index - 1] == -imaginary[index] && imaginary[index] < 0 ? index - 1 : index
        let sign: Double = first == index ? 1 : -1
        return (column(first), column(first + 1).map { sign * $0 })
    }
}
