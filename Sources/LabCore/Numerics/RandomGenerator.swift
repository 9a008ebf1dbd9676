import Foundation

/// The one source of randomness: xoshiro256** seeded through SplitMix64.
///
/// Its whole state is four words, so a checkpoint stores it and a resumed run
/// draws exactly the numbers an uninterrupted run would. Streams for separate
/// purposes (initialisation, data, training) come from `derived(_:)`, so adding
/// draws to one never shifts another.
public struct RandomGenerator: RandomNumberGenerator, Sendable, Equatable {
    private var s0, s1, s2, s3: UInt64

    /// The four state words, as a checkpoint stores them.
    public var state: [UInt64] { [s0, s1, s2, s3] }

    public init(seed: UInt64) {
        var splitMix = seed
        s0 = Self.splitMix64(&splitMix)
        s1 = Self.splitMix64(&splitMix)
        s2 = Self.splitMix64(&splitMix)
        s3 = Self.splitMix64(&splitMix)
    }

    /// Restores a generator from a saved `state` (four words, not all zero).
    public init?(state: [UInt64]) {
        guard state.count == 4, state.contains(where: { $0 != 0 }) else { return nil }
        (s0, s1, s2, s3) = (state[0], state[1], state[2], state[3])
    }

    /// A generator for a named purpose, independent of this one's later draws.
    public func derived(_ purpose: String) -> RandomGenerator {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a over the purpose's bytes
        for byte in purpose.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return RandomGenerator(seed: s0 ^ Self.rotate(s2, 17) ^ hash)
    }

    public mutating func next() -> UInt64 {
        let result = Self.rotate(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Self.rotate(s3, 45)
        return result
    }

    /// Uniform in [0, 1) with 24 random bits, every value exactly representable.
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// Uniform in (0, 1) with 53 random bits: never 0, so safe under `log`.
    public mutating func nextOpenUniformDouble() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1p-53
    }

    /// Standard normal by Box-Muller (both outputs of a pair are used by `fillNormal`).
    public mutating func nextNormal() -> Float {
        let (first, _) = nextNormalPair()
        return first
    }

    /// Standard normal redrawn until it lies within `bound` standard deviations.
    public mutating func nextTruncatedNormal(bound: Float = 2) -> Float {
        while true {
            let value = nextNormal()
            if abs(value) <= bound { return value }
        }
    }

    /// Unbiased integer in 0..<upperBound (Lemire's multiply-and-reject).
    public mutating func nextInt(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "upper bound must be positive")
        let bound = UInt64(upperBound)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return Int(product.high)
    }

    public mutating func fillUniform(_ buffer: UnsafeMutableBufferPointer<Float>, low: Float = 0, high: Float = 1) {
        let span = high - low
        for index in buffer.indices { buffer[index] = low + span * nextUniform() }
    }

    /// Normals by Box-Muller, both values of each pair used. The uniforms are
    /// drawn in order first; the log, cos and sin, which cost far more, then
    /// run on all cores for a large buffer, so the values do not depend on
    /// the core count.
    public mutating func fillNormal(_ buffer: UnsafeMutableBufferPointer<Float>, mean: Float = 0, standardDeviation: Float = 1) {
        let pairs = (buffer.count + 1) / 2
        let uniforms = [Double](unsafeUninitializedCapacity: 2 * pairs) { draws, initialized in
            for index in 0..<(2 * pairs) { draws[index] = nextOpenUniformDouble() }
            initialized = 2 * pairs
        }
        uniforms.withUnsafeBufferPointer { draws in
            ParallelLoop.forEachChunk(items: pairs, scalarsPerItem: 2) { range in
                for pair in range {
                    let (first, second) = Self.normalPair(draws[2 * pair], draws[2 * pair + 1])
                    buffer[2 * pair] = mean + standardDeviation * first
                    if 2 * pair + 1 < buffer.count { buffer[2 * pair + 1] = mean + standardDeviation * second }
                }
            }
        }
    }

    /// A uniformly random permutation of 0..<count (Fisher-Yates), independent of
    /// the standard library's shuffle algorithm so runs replay across versions.
    public mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        var index = count - 1
        while index > 0 {
            order.swapAt(index, nextInt(below: index + 1))
            index -= 1
        }
        return order
    }

    private mutating func nextNormalPair() -> (Float, Float) {
        let radial = nextOpenUniformDouble()
        return Self.normalPair(radial, nextOpenUniformDouble())
    }

    /// Box-Muller: two independent standard normals from two uniforms in (0, 1).
    private static func normalPair(_ radial: Double, _ angular: Double) -> (Float, Float) {
        let radius = (-2 * Foundation.log(radial)).squareRoot()
        let angle = 2 * Double.pi * angular
        return (Float(radius * cos(angle)), Float(radius * sin(angle)))
    }

    private static func rotate(_ value: UInt64, _ amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 - amount))
    }

    private static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
