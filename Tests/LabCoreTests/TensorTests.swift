import Testing
@testable import LabCore

@Suite struct TensorTests {
    /// Plain triple loop in Double: the reference for every transpose combination.
    func naiveProduct(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
        a.map { row in (0..<b[0].count).map { j in zip(row, b).reduce(0) { $0 + $1.0 * $1.1[j] } } }
    }

    func matrix(_ tensor: Tensor) -> [[Double]] {
        (0..<tensor.rows).map { i in (0..<tensor.columns).map { Double(tensor[i * tensor.columns + $0]) } }
    }

    func transpose(_ m: [[Double]]) -> [[Double]] {
        (0..<m[0].count).map { j in m.map { $0[j] } }
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func gemmMatchesNaiveProduct(transposeA: Bool, transposeB: Bool) {
        var rng = RandomGenerator(seed: 3)
        let (m, k, n) = (5, 7, 3)
        let a = Tensor(shape: transposeA ? [k, m] : [m, k]) { rng.fillNormal($0) }
        let b = Tensor(shape: transposeB ? [n, k] : [k, n]) { rng.fillNormal($0) }
        let product = Tensor.matmul(a, b, transposeA: transposeA, transposeB: transposeB)
        let expected = naiveProduct(transposeA ? transpose(matrix(a)) : matrix(a),
                                    transposeB ? transpose(matrix(b)) : matrix(b))
        #expect(product.shape == [m, n])
        for i in 0..<m {
            for j in 0..<n { #expect(abs(Double(product[i * n + j]) - expected[i][j]) < 1e-5) }
        }
    }

    @Test func gemmAccumulatesWithBeta() {
        let a = Tensor(shape: [1, 2], scalars: [1, 2])
        let b = Tensor(shape: [2, 1], scalars: [3, 4])
        var c = Tensor(shape: [1, 1], scalars: [10])
        Tensor.gemm(a, b, alpha: 2, beta: 1, into: &c)
        #expect(c.scalars == [10 + 2 * 11])
    }

    @Test func columnSumsAndGather() {
        let t = Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
        var sums = Tensor(zeros: [2])
        t.columnSums(into: &sums)
        #expect(sums.scalars == [9, 12])
        #expect(t.gatherRows([2, 0]).scalars == [5, 6, 1, 2])
        #expect(t.rows(1..<3).scalars == [3, 4, 5, 6])
    }

    /// A batch large enough to be gathered on several cores, in shuffled order
    /// with repeats, matches row-by-row copies.
    @Test func gatherOfALargeShuffledBatch() {
        let (rows, width) = (600, 300)
        let t = Tensor(shape: [rows, width]) { buffer in
            for i in buffer.indices { buffer[i] = Float(i) }
        }
        let order = (0..<500).map { ($0 * 337 + 11) % rows }
        let gathered = t.gatherRows(order)
        #expect(gathered.shape == [500, width])
        #expect(gathered.scalars == order.flatMap { t.scalars[($0 * width)..<(($0 + 1) * width)] })
        #expect(t.gatherRows(5..<9).scalars == Array(t.scalars[(5 * width)..<(9 * width)]))
    }

    @Test func copiesAreIndependent() {
        var a = Tensor(zeros: [2, 2])
        let b = a
        a[0] = 1
        #expect(b[0] == 0)
        #expect(a[0] == 1)
    }
}
