import LabCore

/// Sets each value to zero with probability `probability` (the masking noise
/// of denoising autoencoders).
public struct MaskingNoise: Corruption {
    public var probability: Float

    public init(probability: Float) {
        self.probability = probability
    }

    public func corrupt(_ batch: Tensor, using rng: inout RandomGenerator) -> Tensor {
        var result = batch
        result.withUnsafeMutableBufferPointer { values in
            for index in values.indices where rng.nextUniform() < probability { values[index] = 0 }
        }
        return result
    }
}

extension MaskingNoise {
    static func register(in registry: inout Registry) {
        registry.corruptions.register("masking", summary: "zero each value with a probability", parameters: [
            .number("probability", range: .unitInterval, doc: "chance that a value is set to 0"),
        ]) { config, _ in
            MaskingNoise(probability: Float(try config.double("probability")))
        }
    }
}
