import CBLAS

extension Tensor {
    /// `c = alpha * op(a) * op(b) + beta * c` through `cblas_sgemm`, where `op`
    /// transposes when asked. Tensors are viewed as matrices (rows x columns);
    /// transposition is a BLAS flag, never a copy.
    public static func gemm(
        _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false,
        alpha: Float = 1, beta: Float = 0, into c: inout Tensor
    ) {
        let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kb, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        precondition(k == kb, "inner dimensions differ: \(a.shape)\(transposeA ? "^T" : "") x \(b.shape)\(transposeB ? "^T" : "")")
        precondition(c.rows == m && c.columns == n, "result \(c.shape) is not \(m) x \(n)")
        guard m > 0, n > 0 else { return }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    cblas_sgemm(
                        CblasRowMajor,
                        transposeA ? CblasTrans : CblasNoTrans,
                        transposeB ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(k), alpha,
                        pa.baseAddress, Int32(a.columns),
                        pb.baseAddress, Int32(b.columns),
                        beta, pc.baseAddress, Int32(n))
                }
            }
        }
    }

    /// `alpha * op(a) * op(b)` as a new tensor of shape [rows, columns].
    public static func matmul(
        _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false, alpha: Float = 1
    ) -> Tensor {
        let m = transposeA ? a.columns : a.rows
        let n = transposeB ? b.rows : b.columns
        // beta = 0: BLAS overwrites c without reading it, so it needs no zero fill.
        var c = Tensor(shape: [m, n]) { _ in }
        gemm(a, b, transposeA: transposeA, transposeB: transposeB, alpha: alpha, into: &c)
        return c
    }

    /// `alpha * a * b`, plus `biasMultiplier * bias` added to every row when
    /// given: the rows start as the bias and sgemm adds the product onto them
    /// (beta = 1), so the bias costs one copy and no extra pass.
    public static func affine(_ a: Tensor, _ b: Tensor, bias: Tensor?, alpha: Float = 1, biasMultiplier: Float = 1) -> Tensor {
        guard let bias else { return matmul(a, b, alpha: alpha) }
        precondition(bias.count == b.columns, "bias of \(bias.count) values for \(b.columns) columns")
        var result = repeatedRows(bias, count: a.rows, multiplier: biasMultiplier)
        gemm(a, b, alpha: alpha, beta: 1, into: &result)
        return result
    }

    /// `count` rows, each `multiplier` times `row`: the starting value of a product with a bias.
    static func repeatedRows(_ row: Tensor, count: Int, multiplier: Float = 1) -> Tensor {
        let width = row.count
        return row.withUnsafeBufferPointer { source in
            Tensor(shape: [count, width]) { out in
                guard count > 0, let first = out.baseAddress else { return }
                if multiplier == 1 {
                    first.update(from: source.baseAddress!, count: width)
                } else {
                    for column in 0..<width { first[column] = multiplier * source[column] }
                }
                for index in 1..<count { first.advanced(by: index * width).update(from: first, count: width) }
            }
        }
    }

    /// `scale` times the sums of each column over all rows (`scale · onesᵀ ·
    /// self`), through `cblas_sgemv`: the bias gradient of a batch.
    public func columnSums(scale: Float = 1, into result: inout Tensor) {
        precondition(result.count == columns, "result has \(result.count) scalars, need \(columns)")
        guard rows > 0 else {
            result.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            return
        }
        let ones = [Float](repeating: 1, count: rows)
        withUnsafeBufferPointer { pa in
            result.withUnsafeMutableBufferPointer { pr in
                cblas_sgemv(CblasRowMajor, CblasTrans, Int32(rows), Int32(columns), scale,
                            pa.baseAddress, Int32(columns), ones, 1, 0, pr.baseAddress, 1)
            }
        }
    }

}
