import CBLAS

extension Tensor {
    /// `c = a · op(b) + beta · c` with the rows of `a` and `c` split into one
    /// block per BLAS thread, each block one single-threaded sgemm on its own
    /// core. For tall, narrow products (a convolution's im2col rows times a
    /// kernel of a few filters) OpenBLAS's own threading spends more time
    /// handing off and spinning than multiplying. Each row comes out exactly
    /// as a single-threaded sgemm computes it, whatever the split.
    public static func gemmSplittingRows(_ a: Tensor, _ b: Tensor, transposeB: Bool = false, beta: Float = 0,
                                         into c: inout Tensor) {
        let blocks = rowBlockCount(rows: a.rows, work: a.count)
        guard blocks > 1 else { return gemm(a, b, transposeB: transposeB, beta: beta, into: &c) }
        let (m, k, n) = (a.rows, a.columns, transposeB ? b.rows : b.columns)
        precondition(k == (transposeB ? b.columns : b.rows) && c.rows == m && c.columns == n, "shapes \(a.shape) x \(b.shape) -> \(c.shape)")
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    let (pa, pb, pc) = (UncheckedSendable(pa.baseAddress!), UncheckedSendable(pb.baseAddress!), UncheckedSendable(pc.baseAddress!))
                    forEachRowBlock(rows: m, blocks: blocks) { rows, _ in
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                                    Int32(rows.count), Int32(n), Int32(k), 1, pa.value + rows.lowerBound * k, Int32(k),
                                    pb.value, Int32(b.columns), beta, pc.value + rows.lowerBound * n, Int32(n))
                    }
                }
            }
        }
    }

    /// `a · op(b)` as a new tensor, split by rows as in `gemmSplittingRows`.
    public static func matmulSplittingRows(_ a: Tensor, _ b: Tensor, transposeB: Bool = false) -> Tensor {
        var c = Tensor(shape: [a.rows, transposeB ? b.rows : b.columns]) { _ in }
        gemmSplittingRows(a, b, transposeB: transposeB, into: &c)
        return c
    }

    /// `a · b` plus `bias` on every row, split by rows as in `gemmSplittingRows`
    /// (the rows start as the bias, as in `affine`).
    public static func affineSplittingRows(_ a: Tensor, _ b: Tensor, bias: Tensor?) -> Tensor {
        guard let bias else { return matmulSplittingRows(a, b) }
        precondition(bias.count == b.columns, "bias of \(bias.count) values for \(b.columns) columns")
        var result = repeatedRows(bias, count: a.rows)
        gemmSplittingRows(a, b, beta: 1, into: &result)
        return result
    }

    /// `c = aᵀ · b` for tall `a` and `b` with few columns (a kernel gradient:
    /// im2col rows against output gradients): each block of rows gives one
    /// partial product, single-threaded on its own core, and the partials add
    /// in block order, so the result depends on the thread count only.
    public static func transposedProductSplittingRows(_ a: Tensor, _ b: Tensor, into c: inout Tensor) {
        let blocks = rowBlockCount(rows: a.rows, work: a.count + b.count)
        guard blocks > 1 else { return gemm(a, b, transposeA: true, into: &c) }
        let (rows, m, n) = (a.rows, a.columns, b.columns)
        precondition(b.rows == rows && c.rows == m && c.columns == n, "shapes \(a.shape)ᵀ x \(b.shape) -> \(c.shape)")
        var partials = [Float](repeating: 0, count: blocks * m * n)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                partials.withUnsafeMutableBufferPointer { pp in
                    let (pa, pb, pp) = (UncheckedSendable(pa.baseAddress!), UncheckedSendable(pb.baseAddress!), UncheckedSendable(pp.baseAddress!))
                    forEachRowBlock(rows: rows, blocks: blocks) { range, block in
                        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(m), Int32(n), Int32(range.count), 1,
                                    pa.value + range.lowerBound * m, Int32(m), pb.value + range.lowerBound * n, Int32(n),
                                    0, pp.value + block * m * n, Int32(n))
                    }
                }
            }
        }
        addInBlockOrder(partials, blocks: blocks, into: &c)
    }

    /// Sums of each column over all rows (a bias gradient), split by rows as in
    /// `transposedProductSplittingRows`: partial sums per block, added in
    /// block order. (OpenBLAS threads a tall sgemv, and its worker then spins
    /// on the core the row blocks need.)
    public func columnSumsSplittingRows(into result: inout Tensor) {
        let blocks = Self.rowBlockCount(rows: rows, work: count)
        guard blocks > 1 else { return columnSums(into: &result) }
        precondition(result.count == columns, "result has \(result.count) scalars, need \(columns)")
        let width = columns
        var partials = [Float](repeating: 0, count: blocks * width)
        let ones = [Float](repeating: 1, count: (rows + blocks - 1) / blocks)
        withUnsafeBufferPointer { pa in
            partials.withUnsafeMutableBufferPointer { pp in
                ones.withUnsafeBufferPointer { po in
                    let (pa, pp, po) = (UncheckedSendable(pa.baseAddress!), UncheckedSendable(pp.baseAddress!), UncheckedSendable(po.baseAddress!))
                    Self.forEachRowBlock(rows: rows, blocks: blocks) { range, block in
                        cblas_sgemv(CblasRowMajor, CblasTrans, Int32(range.count), Int32(width), 1,
                                    pa.value + range.lowerBound * width, Int32(width), po.value, 1, 0, pp.value + block * width, 1)
                    }
                }
            }
        }
        Self.addInBlockOrder(partials, blocks: blocks, into: &result)
    }

    /// result[i] = Σ over blocks of partials[block · result.count + i], blocks in order.
    static func addInBlockOrder(_ partials: [Float], blocks: Int, into result: inout Tensor) {
        let size = result.count
        result.withUnsafeMutableBufferPointer { out in
            partials.withUnsafeBufferPointer { parts in
                for index in 0..<size {
                    var sum = parts[index]
                    for block in 1..<blocks { sum += parts[block * size + index] }
                    out[index] = sum
                }
            }
        }
    }

    /// One block per BLAS thread (and core) when there is work enough to
    /// repay the hand-off; one otherwise.
    static func rowBlockCount(rows: Int, work: Int) -> Int {
        work >= ParallelLoop.minimumParallelCount ? max(1, min(BLAS.threadCount, ProcessInfoCores.count, rows)) : 1
    }

    /// Runs `body` on contiguous row blocks concurrently, with OpenBLAS held
    /// to one thread per call meanwhile (the blocks are the threads), each in
    /// the caller's `DenormalMode`.
    static func forEachRowBlock(rows: Int, blocks: Int, _ body: (Range<Int>, Int) -> Void) {
        let threads = BLAS.threadCount
        BLAS.setThreadCount(1)
        defer { BLAS.setThreadCount(threads) }
        ParallelLoop.forEachBlock(count: rows, blocks: blocks, blockSize: (rows + blocks - 1) / blocks, body)
    }
}
