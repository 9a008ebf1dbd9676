import LabCore

/// Random initial values whose variance is `scale / fan`, Keras's
/// VarianceScaling: Glorot (scale 1, fan = mean of in and out) and He (scale 2,
/// fan = in), drawn uniform or from a normal truncated at 2 standard deviations.
///
/// Truncation, as in TensorFlow: values beyond 2 std are redrawn. Keras divides
/// the std by 0.8796 (the std of a unit normal truncated at 2) so the drawn
/// values keep the intended variance; TensorFlow.js leaves that factor out.
public struct VarianceScaling: Initializer {
    public enum Mode: Sendable, Equatable { case fanIn, fanAverage }
    public enum Distribution: Sendable { case uniform, truncatedNormal(correctVariance: Bool) }

    public var scale: Double
    public var mode: Mode
    public var distribution: Distribution

    public init(scale: Double, mode: Mode, distribution: Distribution) {
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
    }

    /// Standard deviation of a unit normal truncated to [-2, 2].
    static let truncatedNormalStandardDeviation = 0.87962566103423978

    public func fill(_ tensor: inout Tensor, fanIn: Int, fanOut: Int, using rng: inout RandomGenerator) {
        let fan = mode == .fanIn ? Double(fanIn) : Double(fanIn + fanOut) / 2
        let variance = scale / max(fan, 1)
        tensor.withUnsafeMutableBufferPointer { values in
            switch distribution {
            case .uniform:
                let limit = Float((3 * variance).squareRoot())
                rng.fillUniform(values, low: -limit, high: limit)
            case .truncatedNormal(let correctVariance):
                let deviation = variance.squareRoot() / (correctVariance ? Self.truncatedNormalStandardDeviation : 1)
                for index in values.indices { values[index] = Float(deviation) * rng.nextTruncatedNormal(bound: 2) }
            }
        }
    }
}

extension VarianceScaling {
    static func register(in registry: inout Registry) {
        registry.initializers.register(
            "glorot_normal", summary: "truncated normal, variance 2 / (fan_in + fan_out)",
            parameters: [.choice("form", ["keras", "tfjs"], default: "keras",
                                 doc: "keras divides the std by 0.8796 to keep the variance; tfjs does not")]
        ) { config, _ in
            VarianceScaling(scale: 1, mode: .fanAverage,
                            distribution: .truncatedNormal(correctVariance: try config.string("form") == "keras"))
        }
        registry.initializers.register("glorot_uniform", summary: "uniform, variance 2 / (fan_in + fan_out)") { _, _ in
            VarianceScaling(scale: 1, mode: .fanAverage, distribution: .uniform)
        }
        registry.initializers.register("he_normal", summary: "truncated normal (Keras-corrected), variance 2 / fan_in") { _, _ in
            VarianceScaling(scale: 2, mode: .fanIn, distribution: .truncatedNormal(correctVariance: true))
        }
        registry.initializers.register("he_uniform", summary: "uniform, variance 2 / fan_in") { _, _ in
            VarianceScaling(scale: 2, mode: .fanIn, distribution: .uniform)
        }
    }
}
