import LabCore

/// Adds N(0, std²) noise to every value, then optionally clips to [clip_low, clip_high].
public struct GaussianNoise: Corruption {
    public var standardDeviation: Float
    public var clipRange: ClosedRange<Float>?

    public init(standardDeviation: Float, clipRange: ClosedRange<Float>? = nil) {
        self.standardDeviation = standardDeviation
        self.clipRange = clipRange
    }

    public func corrupt(_ batch: Tensor, using rng: inout RandomGenerator) -> Tensor {
        var noisy = Tensor(shape: batch.shape) { rng.fillNormal($0, standardDeviation: standardDeviation) }
        batch.withUnsafeBufferPointer { clean in
            noisy.withUnsafeMutableBufferPointer { values in
                for index in values.indices { values[index] += clean[index] }
                if let clipRange {
                    for index in values.indices {
                        values[index] = min(max(values[index], clipRange.lowerBound), clipRange.upperBound)
                    }
                }
            }
        }
        return noisy
    }
}

extension GaussianNoise {
    static func register(in registry: inout Registry) {
        registry.corruptions.register("gaussian_noise", summary: "adds N(0, std^2) noise, optionally clipped", parameters: [
            .number("std", range: .positive, doc: "noise standard deviation"),
            .number("clip_low", optional: true, doc: "clip the result to [clip_low, clip_high] (give both)"),
            .number("clip_high", optional: true, doc: "see clip_low"),
        ]) { config, _ in
            let deviation = try config.double("std")
            switch (try config.optionalDouble("clip_low"), try config.optionalDouble("clip_high")) {
            case (nil, nil):
                return GaussianNoise(standardDeviation: Float(deviation))
            case (let low?, let high?) where low < high:
                return GaussianNoise(standardDeviation: Float(deviation), clipRange: Float(low)...Float(high))
            default:
                throw config.node.error("clip_low and clip_high go together, with clip_low < clip_high")
            }
        }
    }
}
