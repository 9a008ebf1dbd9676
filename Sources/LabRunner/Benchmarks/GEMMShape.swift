import LabCore

/// One sgemm a training step performs, with random operands of the step's
/// own shapes and flags, writing into its own result buffer (as the step's
/// products do): timing it says what BLAS alone needs for that product.
final class GEMMShape {
    let m, n, k: Int
    let transposeA, transposeB: Bool
    let a, b: Tensor
    var c: Tensor

    init(m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false) {
        self.m = m
        self.n = n
        self.k = k
        self.transposeA = transposeA
        self.transposeB = transposeB
        var rng = RandomGenerator(seed: 7)
        a = Tensor(shape: transposeA ? [k, m] : [m, k]) { rng.fillUniform($0) }
        b = Tensor(shape: transposeB ? [n, k] : [k, n]) { rng.fillUniform($0) }
        c = Tensor(zeros: [m, n])
    }

    func run() {
        Tensor.gemm(a, b, transposeA: transposeA, transposeB: transposeB, into: &c)
    }
}
