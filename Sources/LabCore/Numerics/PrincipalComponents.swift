import CLAPACKE

/// The principal axes of a set of points (the rows of a matrix): the data is
/// centred by its mean and its singular value decomposition taken in double
/// precision through LAPACK's `dgesdd`. The variance along axis j is
/// σ_j² / N (the population variance), so the mean squared error per value of
/// a reconstruction through the first k axes is the sum of the discarded
/// variances divided by the dimension d.
public struct PrincipalComponents: Sendable {
    public let mean: Tensor
    /// The first `count` axes as rows of a [count, d] matrix, each of unit
    /// length with its largest-magnitude entry positive (an SVD fixes axes only up to sign).
    public let axes: Tensor
    /// The variance along every axis, the discarded ones included, largest first.
    public let variances: [Double]

    public var dimension: Int { mean.count }

    /// The first `count` principal axes of `points` (N rows of d values).
    public init(of points: Tensor, count: Int) throws {
        let (n, d) = (points.rows, points.columns)
        precondition(n > 0 && count >= 1 && count <= d, "\(count) components of \(n) points of \(d) values")
        var mean = [Double](repeating: 0, count: d)
        points.withUnsafeBufferPointer { p in
            for row in 0..<n { for j in 0..<d { mean[j] += Double(p[row * d + j]) } }
        }
        for j in 0..<d { mean[j] /= Double(n) }
        // Row-major N x d is column-major d x N: its left singular vectors are the axes, no transposed copy needed.
        var centred = [Double](repeating: 0, count: n * d)
        points.withUnsafeBufferPointer { p in
            for row in 0..<n { for j in 0..<d { centred[row * d + j] = Double(p[row * d + j]) - mean[j] } }
        }
        let rank = min(n, d)
        var singular = [Double](repeating: 0, count: rank)
        var u = [Double](repeating: 0, count: d * rank)
        // Divide and conquer. With more points than values, "O" writes the right
        // vectors (unread) over the data instead of into a second array of N rows.
        let fewPoints = n <= d
        var vt = [Double](repeating: 0, count: fewPoints ? rank * n : 1)
        let info = LAPACKE_dgesdd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: fewPoints ? "S" : "O")), Int32(d), Int32(n),
                                  &centred, Int32(d), &singular, &u, Int32(d), &vt, Int32(fewPoints ? rank : 1))
        guard info == 0 else { throw SingularValueError(info: Int(info), rows: n, columns: d) }
        self.mean = Tensor(shape: [d], scalars: mean.map(Float.init))
        variances = singular.map { $0 * $0 / Double(n) } + [Double](repeating: 0, count: d - rank)
        var axes = [Float](repeating: 0, count: count * d)
        for axis in 0..<min(count, rank) {
            let column = u[(axis * d)..<((axis + 1) * d)]
            let sign: Double = column.max { abs($0) < abs($1) }.map { $0 < 0 ? -1 : 1 } ?? 1
            for j in 0..<d { axes[axis * d + j] = Float(sign * u[axis * d + j]) }
        }
        self.axes = Tensor(shape: [count, d], scalars: axes)
    }

    public var count: Int { axes.rows }

    /// Each point's coordinates along the axes: (x - mean) Vᵀ, [N, count].
    public func codes(of points: Tensor) -> Tensor {
        Tensor.matmul(centred(points), axes, transposeB: true)
    }

    /// The points the codes stand for: mean + codes V, [N, d].
    public func reconstruction(of codes: Tensor) -> Tensor {
        var points = Tensor(shape: [codes.rows, dimension]) { buffer in
            mean.withUnsafeBufferPointer { m in
                for row in 0..<codes.rows { for j in 0..<m.count { buffer[row * m.count + j] = m[j] } }
            }
        }
        Tensor.gemm(codes, axes, beta: 1, into: &points)
        return points
    }

    /// The sum of the variances of the axes left out, over the dimension: the
    /// mean squared error per value of the reconstruction of the data the axes came from.
    public var discardedVariancePerValue: Double { variances.dropFirst(count).reduce(0, +) / Double(dimension) }

    func centred(_ points: Tensor) -> Tensor {
        precondition(points.columns == dimension, "points of \(points.columns) values for axes of \(dimension)")
        return Tensor(shape: [points.rows, dimension]) { buffer in
            points.withUnsafeBufferPointer { p in
                mean.withUnsafeBufferPointer { m in
                    for index in 0..<p.count { buffer[index] = p[index] - m[index % m.count] }
                }
            }
        }
    }
}
