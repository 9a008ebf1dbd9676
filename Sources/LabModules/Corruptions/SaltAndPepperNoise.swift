import LabCore

/// With probability `probability` a value becomes `low` or `high`, each
/// equally likely (salt-and-pepper noise).
public struct SaltAndPepperNoise: Corruption {
    public var probability: Float
    public var low: Float
    public var high: Float

    public init(probability: Float, low: Float, high: Float) {
        self.probability = probability
        self.low = low
        self.high = high
    }

    public func corrupt(_ batch: Tensor, using rng: inout RandomGenerator) -> Tensor {
        var result = batch
        result.withUnsafeMutableBufferPointer { values in
            for index in values.indices {
                let draw = rng.nextUniform()
                if draw < probability { values[index] = draw < probability / 2 ? low : high }
            }
        }
        return result
    }
}

extension SaltAndPepperNoise {
    static func register(in registry: inout Registry) {
        registry.corruptions.register("salt_and_pepper", summary: "set values to low or high with a probability", parameters: [
            .number("probability", range: .unitInterval, doc: "chance that a value is replaced"),
            .number("low", default: 0, doc: "the pepper value"),
            .number("high", default: 1, doc: "the salt value"),
        ]) { config, _ in
            SaltAndPepperNoise(probability: Float(try config.double("probability")), low: Float(try config.double("low")),
                               high: Float(try config.double("high")))
        }
    }
}
