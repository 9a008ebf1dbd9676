import CKernels
import LabCore

/// RMSprop in one of two conventions, chosen by `variant`:
///
/// - `keras` (default; Keras 2 / TensorFlow's ApplyRMSProp, which the study used):
///   ms = rho ms + (1 - rho) g²; w -= lr g / sqrt(ms + eps), with rho 0.9 and
///   eps 1e-7 *inside* the square root.
/// - `pytorch` (torch.optim.RMSprop): the same average with alpha 0.99, and
///   w -= lr g / (sqrt(ms) + eps) with eps 1e-8 *outside* the square root.
public final class RMSprop: Optimizer {
    public enum Variant: String, CaseIterable, Sendable {
        case keras, pytorch

        /// The convention's own defaults for the decay and epsilon.
        public var defaults: (rho: Double, epsilon: Double) {
            self == .keras ? (0.9, 1e-7) : (0.99, 1e-8)
        }
    }

    public let typeName = "rmsprop"
    public let variant: Variant
    public var learningRate: Float
    public let rho: Float
    public let epsilon: Float
    public var state = OptimizerState()
    public let slotNames = ["rms"]

    public init(variant: Variant = .keras, learningRate: Float = 1e-3, rho: Float? = nil, epsilon: Float? = nil) {
        self.variant = variant
        self.learningRate = learningRate
        self.rho = rho ?? Float(variant.defaults.rho)
        self.epsilon = epsilon ?? Float(variant.defaults.epsilon)
    }

    public func step(_ parameters: [Parameter]) {
        prepareSlots(for: parameters)
        let (rate, rho, epsilon) = (learningRate, self.rho, self.epsilon)
        let epsilonInside = variant == .keras
        for (index, parameter) in parameters.enumerated() {
            parameter.gradient.withUnsafeBufferPointer { gradient in
                parameter.value.withUnsafeMutableBufferPointer { weights in
                    state.slots[index][0].withUnsafeMutableBufferPointer { meanSquare in
                        let (g, w, ms) = (gradient.baseAddress!, weights.baseAddress!, meanSquare.baseAddress!)
                        ParallelLoop.forEachChunk(count: weights.count) { range in
                            aelab_rmsprop_update(w + range.lowerBound, ms + range.lowerBound, g + range.lowerBound,
                                                 range.count, rate, rho, epsilon, epsilonInside ? 1 : 0)
                        }
                    }
                }
            }
        }
        state.iterations += 1
    }
}

extension RMSprop {
    static func register(in registry: inout Registry) {
        registry.optimizers.register(
            "rmsprop", summary: "RMSprop; variant keras (eps inside sqrt, rho 0.9) or pytorch (eps outside, alpha 0.99)",
            parameters: [
                .choice("variant", Variant.allCases.map(\.rawValue), default: Variant.keras.rawValue,
                        doc: "keras: TensorFlow's ApplyRMSProp; pytorch: torch.optim.RMSprop"),
                .number("learning_rate", default: 1e-3, range: .positive, doc: "step size"),
                .number("rho", range: .unitIntervalOpenAbove, optional: true, doc: "decay of the mean square (variant's default: 0.9 or 0.99)"),
                .number("epsilon", range: .positive, optional: true, doc: "added to the mean square (variant's default: 1e-7 or 1e-8)"),
            ]
        ) { config, _ in
            let variant = Variant(rawValue: try config.string("variant"))!
            let learningRate = try config.double("learning_rate")
            let rho = try config.double("rho", default: variant.defaults.rho)
            let epsilon = try config.double("epsilon", default: variant.defaults.epsilon)
            return RMSprop(variant: variant, learningRate: Float(learningRate), rho: Float(rho), epsilon: Float(epsilon))
        }
    }
}
