import Testing
@testable import LabCore

/// The row-split products against Double references, on tall shapes that
/// split (a convolution's: thousands of rows, a few columns) and small ones that do not.
@Suite struct RowBlockProductTests {
    static let shapes = [(rows: 8195, inner: 9, columns: 16), (rows: 5, inner: 3, columns: 2)]

    func random(_ shape: [Int], seed: UInt64) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        return Tensor(shape: shape) { rng.fillNormal($0) }
    }

    @Test(arguments: [0, 1], [false, true])
    func rowSplitProductMatchesDoublePrecision(shapeIndex: Int, transposeB: Bool) {
        let (m, k, n) = Self.shapes[shapeIndex]
        let a = random([m, k], seed: 1)
        let b = random(transposeB ? [n, k] : [k, n], seed: 2)
        let bias = random([n], seed: 3)
        let product = Tensor.matmulSplittingRows(a, b, transposeB: transposeB)
        let affine = transposeB ? nil : Tensor.affineSplittingRows(a, b, bias: bias)
        for i in 0..<m {
            for j in 0..<n {
                var exact = 0.0
                for l in 0..<k { exact += Double(a[i * k + l]) * Double(transposeB ? b[j * k + l] : b[l * n + j]) }
                #expect(abs(Double(product[i * n + j]) - exact) < 1e-4)
                if let affine { #expect(abs(Double(affine[i * n + j]) - exact - Double(bias[j])) < 1e-4) }
            }
        }
    }

    @Test(arguments: [0, 1])
    func transposedProductAndColumnSumsMatchDoublePrecisionAndRepeat(shapeIndex: Int) {
        let (rows, m, n) = Self.shapes[shapeIndex]
        let (a, b) = (random([rows, m], seed: 4), random([rows, n], seed: 5))
        var product = Tensor(zeros: [m, n])
        Tensor.transposedProductSplittingRows(a, b, into: &product)
        var sums = Tensor(zeros: [n])
        b.columnSumsSplittingRows(into: &sums)
        for j in 0..<n {
            var exactSum = 0.0
            for r in 0..<rows { exactSum += Double(b[r * n + j]) }
            #expect(abs(Double(sums[j]) - exactSum) < 1e-3)
            for i in 0..<m {
                var exact = 0.0
                for r in 0..<rows { exact += Double(a[r * m + i]) * Double(b[r * n + j]) }
                #expect(abs(Double(product[i * n + j]) - exact) < 1e-3)
            }
        }
        var again = Tensor(zeros: [m, n])
        Tensor.transposedProductSplittingRows(a, b, into: &again)
        #expect(again.scalars == product.scalars)
    }
}
