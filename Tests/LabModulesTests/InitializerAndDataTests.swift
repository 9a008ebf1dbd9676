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
        let a = RandomDataset(count: 10, shape: [4, 3], seed: 5, distribution: .uniform(low: 0, high: 1))
        let b = RandomDataset(count: 10, shape: [4, 3], seed: 5, distribution: .uniform(low: 0, high: 1))
        let c = RandomDataset(count: 10, shape: [4, 3], seed: 6, distribution: .uniform(low: 0, high: 1))
        #expect(a.samples == b.samples)
        #expect(a.samples != c.samples)
        #expect(a.sampleShape == [4, 3] && a.count == 10)
        #expect(a.samples.scalars.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(a.batch([3, 1]).shape == [2, 4, 3])
        #expect(a.batch([3]).scalars == Array(a.samples.scalars[36..<48]))
    }

    func randomDataset(_ parameters: [(String, ConfigValue)]) throws -> RandomDataset {
        let registry = BuiltinModules.registry
        let entries = [ConfigValue.Entry("type", .string("random"))] + parameters.map { ConfigValue.Entry($0.0, $0.1) }
        let node = ConfigNode.synthesized(.map(entries), keyPath: "data")
        return try registry.datasets.build(node, context: BuildContext(registry: registry, seed: 4)).module as! RandomDataset
    }

    /// Points on the sphere of radius 5 in 32 dimensions: every norm is 5 to
    /// float rounding, the mean direction is near 0 (|mean| ~ 1/sqrt(N) for
    /// uniform directions), and each coordinate carries r²/d of the energy.
    @Test func sphereSamplesHaveTheirNormAndNoPreferredDirection() throws {
        let data = try randomDataset([("count", .int(2000)), ("shape", .list([.int(32)])), ("distribution", .string("sphere")), ("radius", .double(5))])
        let rows = (0..<2000).map { Array(data.samples.scalars[($0 * 32)..<(($0 + 1) * 32)]).map(Double.init) }
        let norms = rows.map { $0.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        #expect(norms.allSatisfy { abs($0 - 5) <= 5 * 4e-7 }, "norms from \(norms.min()!) to \(norms.max()!)")
        let meanDirection = (0..<32).map { j in rows.reduce(0) { $0 + $1[j] / 5 } / 2000 }
        #expect(meanDirection.reduce(0) { $0 + $1 * $1 }.squareRoot() < 3 / 2000.0.squareRoot())
        let energy = (0..<32).map { j in rows.reduce(0) { $0 + $1[j] * $1[j] } / 2000 }
        #expect(energy.allSatisfy { abs($0 - 25.0 / 32) < 0.15 * 25 / 32 })
        let one = try randomDataset([("count", .int(1)), ("shape", .list([.int(4), .int(8)])), ("distribution", .string("sphere")), ("radius", .double(0.5))])
        #expect(abs(one.samples.scalars.reduce(0.0) { $0 + Double($1 * $1) }.squareRoot() - 0.5) < 1e-6)
    }

    @Test func sphereNeedsItsRadiusAndOnlyItTakesOne() {
        let missing = #expect(throws: ConfigError.self) { try randomDataset([("count", .int(3)), ("shape", .list([.int(4)])), ("distribution", .string("sphere"))]) }
        #expect(missing?.description.contains("data.radius: missing required key 'radius'") == true, "\(String(describing: missing))")
        let stray = #expect(throws: ConfigError.self) { try randomDataset([("count", .int(3)), ("shape", .list([.int(4)])), ("radius", .double(2))]) }
        #expect(stray?.description.contains("data.radius: radius applies to distribution sphere, not uniform") == true)
        let negative = #expect(throws: ConfigError.self) { try randomDataset([("count", .int(3)), ("shape", .list([.int(4)])), ("distribution", .string("sphere")), ("radius", .double(-1))]) }
        #expect(negative?.description.contains("data.radius: -1") == true, "\(String(describing: negative))")
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
