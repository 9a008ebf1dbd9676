import Testing
import LabCore
@testable import LabModules

@Suite struct InitializerAndDataTests {
    func sampleVariance(_ initializer: any Initializer, fanIn: Int = 300, fanOut: Int = 200) -> (variance: Double, maxAbs: Float) {
        var rng = RandomGenerator(seed: 21)
        var tensor = Tensor(zeros: [fanIn, fanOut])
        initializer.fill(&tensor, fanIn: fanIn, fanOut: fanOut, using: &rng)
        let mean = tensor.scalars.reduce(0.0) { $0 + Double($1) } / Double(tensor.count)
        let variance = tensor.scalars.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(tensor.count)
        return (variance, tensor.scalars.map(abs).max()!)
    }

    @Test func glorotAndHeHaveTheirVariances() {
        let glorotVariance = 2.0 / 500
        let kerasNormal = sampleVariance(VarianceScaling(scale: 1, mode: .fanAverage, distribution: .truncatedNormal(correctVariance: true)))
        #expect(abs(kerasNormal.variance / glorotVariance - 1) < 0.03)
        #expect(Double(kerasNormal.maxAbs) <= 2 * (glorotVariance.squareRoot() / 0.87962566103423978) + 1e-6)
        // TensorFlow.js leaves out the correction: variance shrinks by 0.8796².
        let tfjs = sampleVariance(VarianceScaling(scale: 1, mode: .fanAverage, distribution: .truncatedNormal(correctVariance: false)))
        #expect(abs(tfjs.variance / (glorotVariance * 0.87962566103423978 * 0.87962566103423978) - 1) < 0.03)
        let uniform = sampleVariance(VarianceScaling(scale: 1, mode: .fanAverage, distribution: .uniform))
        #expect(abs(uniform.variance / glorotVariance - 1) < 0.03)
        #expect(Double(uniform.maxAbs) <= (6.0 / 500).squareRoot())
        let he = sampleVariance(VarianceScaling(scale: 2, mode: .fanIn, distribution: .truncatedNormal(correctVariance: true)))
        #expect(abs(he.variance / (2.0 / 300) - 1) < 0.03)
        #expect(sampleVariance(Constant(0)).maxAbs == 0)
    }

    @Test func randomDatasetIsSeededAndInRange() {
        let a = RandomDataset(count: 10, shape: [4, 3], seed: 5, gaussian: false, low: 0, high: 1, mean: 0, standardDeviation: 1)
        let b = RandomDataset(count: 10, shape: [4, 3], seed: 5, gaussian: false, low: 0, high: 1, mean: 0, standardDeviation: 1)
        let c = RandomDataset(count: 10, shape: [4, 3], seed: 6, gaussian: false, low: 0, high: 1, mean: 0, standardDeviation: 1)
        #expect(a.samples == b.samples)
        #expect(a.samples != c.samples)
        #expect(a.sampleShape == [4, 3] && a.count == 10)
        #expect(a.samples.scalars.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(a.batch([3, 1]).shape == [2, 4, 3])
        #expect(a.batch([3]).scalars == Array(a.samples.scalars[36..<48]))
    }

    /// Points of chosen norm: every sample's norm is the radius, and Gaussian
    /// directions spread over the sphere (mean near 0, each coordinate's
    /// second moment radius² / d).
    @Test func randomDatasetWithARadiusPutsEverySampleOnTheSphere() {
        let points = RandomDataset(count: 2000, shape: [8], seed: 4, gaussian: true, low: 0, high: 1, mean: 0, standardDeviation: 1, radius: 5)
        for row in 0..<points.count {
            let norm = points.samples.scalars[(row * 8)..<((row + 1) * 8)].reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(abs(norm - 5) < 1e-5)
        }
        let first = (0..<points.count).map { Double(points.samples.scalars[$0 * 8]) }
        let mean: Double = first.reduce(0, +) / 2000
        let secondMoment: Double = first.map { $0 * $0 }.reduce(0, +) / 2000
        #expect(abs(mean) < 0.15)
        #expect(abs(secondMoment / (25.0 / 8) - 1) < 0.1)
        let plain = RandomDataset(count: 2000, shape: [8], seed: 4, gaussian: true, low: 0, high: 1, mean: 0, standardDeviation: 1)
        #expect(plain.samples != points.samples)
    }

    @Test func gaussianNoiseAddsNoiseOfItsSizeAndClips() {
        var rng = RandomGenerator(seed: 3)
        let clean = Tensor(repeating: 0.5, shape: [100, 100])
        let noisy = GaussianNoise(standardDeviation: 0.1).corrupt(clean, using: &rng)
        let differences = zip(noisy.scalars, clean.scalars).map { Double($0 - $1) }
        let variance = differences.reduce(0) { $0 + $1 * $1 } / Double(differences.count)
        #expect(abs(variance.squareRoot() - 0.1) < 0.003)
        let clipped = GaussianNoise(standardDeviation: 1, clipRange: 0...1).corrupt(clean, using: &rng)
        #expect(clipped.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
    }
}
