import Testing
@testable import LabCore

@Suite struct RandomGeneratorTests {
    @Test func sameSeedSameStreamAndRestoredStateContinues() {
        var a = RandomGenerator(seed: 9)
        var b = RandomGenerator(seed: 9)
        for _ in 0..<10 { #expect(a.next() == b.next()) }
        var restored = RandomGenerator(state: a.state)!
        #expect((0..<100).map { _ in a.nextUniform() } == (0..<100).map { _ in restored.nextUniform() })
        #expect(RandomGenerator(state: [0, 0, 0, 0]) == nil)
        #expect(RandomGenerator(seed: 1).derived("init") != RandomGenerator(seed: 1).derived("train"))
    }

    @Test func uniformAndNormalMoments() {
        var rng = RandomGenerator(seed: 1)
        let count = 200_000
        var uniform = [Float](repeating: 0, count: count)
        var normal = [Float](repeating: 0, count: count)
        uniform.withUnsafeMutableBufferPointer { rng.fillUniform($0) }
        normal.withUnsafeMutableBufferPointer { rng.fillNormal($0, mean: 1, standardDeviation: 2) }
        func moments(_ values: [Float]) -> (Double, Double) {
            let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
            let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count)
            return (mean, variance)
        }
        let (uniformMean, uniformVariance) = moments(uniform)
        #expect(uniform.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(uniformMean - 0.5) < 0.005)
        #expect(abs(uniformVariance - 1.0 / 12) < 0.002)
        let (normalMean, normalVariance) = moments(normal)
        #expect(abs(normalMean - 1) < 0.02)
        #expect(abs(normalVariance - 4) < 0.06)
    }

    /// A buffer large enough for several cores holds the normals that small
    /// fills of the same stream give, pair by pair, and leaves the generator
    /// where they leave it; an odd length drops its last pair's second value.
    @Test func largeNormalFillsMatchSmallOnesFromTheSameStream() {
        var whole = RandomGenerator(seed: 6)
        var pieces = whole
        let count = 3 * ParallelLoop.minimumParallelCount + 1
        var large = [Float](repeating: 0, count: count)
        large.withUnsafeMutableBufferPointer { whole.fillNormal($0, mean: 0.5, standardDeviation: 3) }
        var small: [Float] = []
        while small.count < count {
            var piece = [Float](repeating: 0, count: min(1000, count - small.count))
            piece.withUnsafeMutableBufferPointer { pieces.fillNormal($0, mean: 0.5, standardDeviation: 3) }
            small += piece
        }
        #expect(large == small)
        #expect(whole == pieces)
    }

    @Test func truncatedNormalStaysWithinBound() {
        var rng = RandomGenerator(seed: 2)
        #expect((0..<50_000).allSatisfy { _ in abs(rng.nextTruncatedNormal(bound: 2)) <= 2 })
    }

    @Test func permutationsAndBoundedIntegers() {
        var rng = RandomGenerator(seed: 4)
        let order = rng.permutation(1000)
        #expect(order.sorted() == Array(0..<1000))
        #expect(order != Array(0..<1000))
        var counts = [Int](repeating: 0, count: 3)
        for _ in 0..<30_000 { counts[rng.nextInt(below: 3)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 400 })
    }
}
