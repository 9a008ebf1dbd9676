import LabCore

/// Random images: `count` samples of `shape`, uniform in [low, high) or
/// Gaussian, drawn once from their own seed (by default derived from the
/// experiment's seed), as in the study's "random" networks. The values are
/// drawn when first read, so a composed experiment's memory can be
/// estimated before they exist.
public struct RandomDataset: Dataset {
    public let count: Int
    public let sampleShape: [Int]
    private let storage: LazyTensor

    public init(count: Int, shape: [Int], seed: UInt64, gaussian: Bool, low: Float, high: Float, mean: Float, standardDeviation: Float) {
        self.count = count
        sampleShape = shape
        storage = LazyTensor {
            var rng = RandomGenerator(seed: seed)
            return Tensor(shape: [count] + shape) { values in
                if gaussian {
                    rng.fillNormal(values, mean: mean, standardDeviation: standardDeviation)
                } else {
                    rng.fillUniform(values, low: low, high: high)
                }
            }
        }
    }

    public var samples: Tensor { storage.value }

    public func batch(_ indices: [Int]) -> Tensor { samples.gatherRows(indices) }
}

extension RandomDataset {
    static func register(in registry: inout Registry) {
        registry.datasets.register("random", summary: "random samples, uniform in [low, high) or gaussian", parameters: [
            .integer("count", range: .atLeast(1), doc: "number of samples"),
            ParameterSpec("shape", .integers, range: .atLeast(1), doc: "shape of one sample, e.g. [3072]"),
            .choice("distribution", ["uniform", "gaussian"], default: "uniform", doc: "how values are drawn"),
            .integer("seed", range: .nonNegative, optional: true, doc: "the data's own seed (default: derived from the experiment's)"),
            .number("low", default: 0, doc: "uniform: smallest value"),
            .number("high", default: 1, doc: "uniform: bound above (excluded)"),
            .number("mean", default: 0, doc: "gaussian: mean"),
            .number("std", default: 1, range: .positive, doc: "gaussian: standard deviation"),
        ]) { config, context in
            let count = try config.int("count")
            let shape = try config.intList("shape")
            let gaussian = try config.string("distribution") == "gaussian"
            let seed = try config.int("seed", default: Int(truncatingIfNeeded: context.seed &* 0x9e37_79b9 % (1 << 31)))
            let (low, high) = (try config.double("low"), try config.double("high"))
            let (mean, deviation) = (try config.double("mean"), try config.double("std"))
            guard high > low else { throw config.node.error("high (\(high)) must exceed low (\(low))") }
            guard Tensor.scalarCount(of: [count] + shape) != nil else {
                throw config.located("shape").error("\(count) samples of shape \(shape) hold more values than can be counted")
            }
            return RandomDataset(count: count, shape: shape, seed: UInt64(seed), gaussian: gaussian,
                                 low: Float(low), high: Float(high), mean: Float(mean), standardDeviation: Float(deviation))
        }
    }
}
