import LabCore

/// Random images: `count` samples of `shape`, uniform in [low, high) or
/// Gaussian, drawn once from their own seed (by default derived from the
/// experiment's seed), as in the study's "random" networks.
public struct RandomDataset: Dataset {
    public let samples: Tensor

    public init(count: Int, shape: [Int], seed: UInt64, gaussian: Bool, low: Float, high: Float, mean: Float, standardDeviation: Float) {
        var rng = RandomGenerator(seed: seed)
        samples = Tensor(shape: [count] + shape) { values in
            if gaussian {
                rng.fillNormal(values, mean: mean, standardDeviation: standardDeviation)
            } else {
                rng.fillUniform(values, low: low, high: high)
            }
        }
    }

    public var count: Int { samples.rows }
    public var sampleShape: [Int] { Array(samples.shape.dropFirst()) }

    public func batch(_ indices: [Int]) -> Tensor { samples.gatherRows(indices) }
}

extension RandomDataset {
    static func register(in registry: inout Registry) {
        registry.datasets.register("random", summary: "random samples, uniform in [low, high) or gaussian") { config, context in
            let count = try config.int("count", range: .atLeast(1))
            let shape = try config.intList("shape", range: .atLeast(1))
            let distribution = try config.string("distribution", default: "uniform", allowed: ["uniform", "gaussian"])
            let seed = try config.int("seed", default: Int(truncatingIfNeeded: context.seed &* 0x9e37_79b9 % (1 << 31)),
                                      range: .nonNegative)
            var low = 0.0, high = 1.0, mean = 0.0, deviation = 1.0
            if distribution == "uniform" {
                low = try config.double("low", default: 0)
                high = try config.double("high", default: 1)
                guard high > low else {
                    throw config.node.error("high (\(high)) must exceed low (\(low))")
                }
            } else {
                mean = try config.double("mean", default: 0)
                deviation = try config.double("std", default: 1, range: .positive)
            }
            return RandomDataset(count: count, shape: shape, seed: UInt64(seed), gaussian: distribution == "gaussian",
                                 low: Float(low), high: Float(high), mean: Float(mean), standardDeviation: Float(deviation))
        }
    }
}
