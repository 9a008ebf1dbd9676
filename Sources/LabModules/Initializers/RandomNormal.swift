import LabCore

/// Values drawn from N(mean, stddev²), whatever the fans: with the defaults,
/// the unit Gaussian weights and biases of the ntk parameterisation.
public struct RandomNormal: Initializer {
    public var mean: Float
    public var standardDeviation: Float

    public init(mean: Float = 0, standardDeviation: Float = 1) {
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    public func fill(_ tensor: inout Tensor, fanIn: Int, fanOut: Int, using rng: inout RandomGenerator) {
        tensor.withUnsafeMutableBufferPointer { rng.fillNormal($0, mean: mean, standardDeviation: standardDeviation) }
    }
}

extension RandomNormal {
    static func register(in registry: inout Registry) {
        registry.initializers.register("normal", summary: "Gaussian N(mean, stddev^2), independent of the fans", parameters: [
            .number("mean", default: 0, doc: "the mean"),
            .number("stddev", default: 1, range: .nonNegative, doc: "the standard deviation (1: ntk's unit-scale draw)"),
        ]) { config, _ in
            RandomNormal(mean: Float(try config.double("mean")), standardDeviation: Float(try config.double("stddev")))
        }
    }
}
