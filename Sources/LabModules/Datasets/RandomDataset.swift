import LabCore

/// Random images: `count` samples of `shape`, uniform in [low, high),
/// Gaussian, or uniform on the sphere of a given radius (the theory
/// experiments' points of a chosen norm), drawn once from their own seed (by
/// default derived from the experiment's seed), as in the study's "random"
/// networks. The values are drawn when first read, so a composed
/// experiment's memory can be estimated before they exist.
public struct RandomDataset: Dataset {
    public enum Distribution: Sendable {
        case uniform(low: Float, high: Float)
        case gaussian(mean: Float, standardDeviation: Float)
        case sphere(radius: Float)
    }

    public let count: Int
    public let sampleShape: [Int]
    private let storage: LazyTensor

    public init(count: Int, shape: [Int], seed: UInt64, distribution: Distribution) {
        self.count = count
        sampleShape = shape
        storage = LazyTensor {
            var rng = RandomGenerator(seed: seed)
            return Tensor(shape: [count] + shape) { values in
                switch distribution {
                case .uniform(let low, let high):
                    rng.fillUniform(values, low: low, high: high)
                case .gaussian(let mean, let deviation):
                    rng.fillNormal(values, mean: mean, standardDeviation: deviation)
                case .sphere(let radius):
                    // A standard Gaussian vector's direction is uniform on the sphere.
                    rng.fillNormal(values, mean: 0, standardDeviation: 1)
                    Self.scaleRows(values, count: count, to: radius)
                }
            }
        }
    }

    public var samples: Tensor { storage.value }

    /// Scales each of the `count` rows of `values` to Euclidean norm `radius` (norms summed in Double).
    private static func scaleRows(_ values: UnsafeMutableBufferPointer<Float>, count: Int, to radius: Float) {
        let size = values.count / max(count, 1)
        for row in 0..<count {
            let range = (row * size)..<((row + 1) * size)
            let norm = values[range].reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            let scale = Float(Double(radius) / norm)
            for index in range { values[index] *= scale }
        }
    }


    public func batch(_ indices: [Int]) -> Tensor { samples.gatherRows(indices) }
}

extension RandomDataset {
    static func register(in registry: inout Registry) {
        registry.datasets.register("random", summary: "random samples, uniform in [low, high), gaussian, or on a sphere", parameters: [
            .integer("count", range: .atLeast(1), doc: "number of samples"),
            ParameterSpec("shape", .integers, range: .atLeast(1), doc: "shape of one sample, e.g. [3072]"),
            .choice("distribution", ["uniform", "gaussian", "sphere"], default: "uniform",
                    doc: "how values are drawn; sphere: each sample uniform on the sphere of `radius` (a normalised gaussian)"),
            .integer("seed", range: .nonNegative, optional: true, doc: "the data's own seed (default: derived from the experiment's)"),
            .number("low", default: 0, doc: "uniform: smallest value"),
            .number("high", default: 1, doc: "uniform: bound above (excluded)"),
            .number("mean", default: 0, doc: "gaussian: mean"),
            .number("std", default: 1, range: .positive, doc: "gaussian: standard deviation"),
            .number("radius", range: .positive, optional: true, doc: "sphere (required there): the norm of every sample"),
        ]) { config, context in
            let count = try config.int("count")
            let shape = try config.intList("shape")
            let seed = try config.int("seed", default: Int(truncatingIfNeeded: context.seed &* 0x9e37_79b9 % (1 << 31)))
            guard Tensor.scalarCount(of: [count] + shape) != nil else {
                throw config.located("shape").error("\(count) samples of shape \(shape) hold more values than can be counted")
            }
            return RandomDataset(count: count, shape: shape, seed: UInt64(seed), distribution: try readDistribution(config))
        }
    }

    /// The distribution and its parameters. The uniform and gaussian ones are
    /// read (and resolved) whatever the choice; `radius` only where given.
    private static func readDistribution(_ config: ConfigReader) throws -> Distribution {
        let name = try config.string("distribution")
        let (low, high) = (try config.double("low"), try config.double("high"))
        let (mean, deviation) = (try config.double("mean"), try config.double("std"))
        let radius = try config.optionalDouble("radius")
        if radius != nil, name != "sphere" {
            throw config.located("radius").error("radius applies to distribution sphere, not \(name)", allowed: "distribution: sphere with radius")
        }
        switch name {
        case "gaussian": return .gaussian(mean: Float(mean), standardDeviation: Float(deviation))
        case "sphere":
            guard let radius else { throw config.missing("radius", expected: "a number > 0, the norm of every sample") }
            return .sphere(radius: Float(radius))
        default:
            guard high > low else { throw config.node.error("high (\(high)) must exceed low (\(low))") }
            return .uniform(low: Float(low), high: Float(high))
        }
    }
}
