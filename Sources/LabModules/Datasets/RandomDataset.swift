import LabCore

/// Random images: `count` samples of `shape`, uniform in [low, high) or
/// Gaussian, drawn once from their own seed (by default derived from the
/// experiment's seed), as in the study's "random" networks. With a radius,
/// each sample is rescaled to that Euclidean norm: Gaussian samples then lie
/// uniformly on the sphere, the points of chosen norm of Jiang & Pehlevan.
public struct RandomDataset: Dataset {
    public let samples: Tensor

    public init(count: Int, shape: [Int], seed: UInt64, gaussian: Bool, low: Float, high: Float, mean: Float, standardDeviation: Float,
                radius: Double? = nil) {
        var rng = RandomGenerator(seed: seed)
        samples = Tensor(shape: [count] + shape) { values in
            if gaussian {
                rng.fillNormal(values, mean: mean, standardDeviation: standardDeviation)
            } else {
                rng.fillUniform(values, low: low, high: high)
            }
            if let radius { Self.rescale(values, rows: count, to: radius) }
        }
    }

    /// Scales each of `rows` equal-length rows to Euclidean norm `radius` (a zero row stays zero).
    static func rescale(_ values: UnsafeMutableBufferPointer<Float>, rows: Int, to radius: Double) {
        let width = values.count / max(rows, 1)
        for row in 0..<rows {
            let range = (row * width)..<((row + 1) * width)
            let norm = range.reduce(0.0) { $0 + Double(values[$1]) * Double(values[$1]) }.squareRoot()
            guard norm > 0 else { continue }
            for index in range { values[index] = Float(Double(values[index]) * radius / norm) }
        }
    }

    public var count: Int { samples.rows }
    public var sampleShape: [Int] { Array(samples.shape.dropFirst()) }

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
            .number("radius", range: .positive, optional: true,
                    doc: "each sample rescaled to this Euclidean norm (gaussian, mean 0: uniform on the sphere)"),
        ]) { config, context in
            let count = try config.int("count")
            let shape = try config.intList("shape")
            let gaussian = try config.string("distribution") == "gaussian"
            let seed = try config.int("seed", default: Int(truncatingIfNeeded: context.seed &* 0x9e37_79b9 % (1 << 31)))
            let (low, high) = (try config.double("low"), try config.double("high"))
            let (mean, deviation) = (try config.double("mean"), try config.double("std"))
            let radius = try config.optionalDouble("radius")
            guard high > low else { throw config.node.error("high (\(high)) must exceed low (\(low))") }
            return RandomDataset(count: count, shape: shape, seed: UInt64(seed), gaussian: gaussian,
                                 low: Float(low), high: Float(high), mean: Float(mean), standardDeviation: Float(deviation), radius: radius)
        }
    }
}
