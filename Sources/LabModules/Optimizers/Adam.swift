import Foundation
import CKernels
import LabCore

/// Adam with bias correction as in the paper (and PyTorch):
/// m = b1 m + (1-b1) g; v = b2 v + (1-b2) g²;
/// w -= lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps).
/// `weight_decay` > 0 adds decoupled decay (AdamW): w -= lr wd w before the step.
public final class Adam: Optimizer {
    public let typeName = "adam"
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let weightDecay: Float
    public var state = OptimizerState()
    public let slotNames = ["m", "v"]

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-7, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public func step(_ parameters: [Parameter]) {
        prepareSlots(for: parameters)
        let t = Double(state.iterations + 1)
        let correction1 = Float(1 - pow(Double(beta1), t))
        let correction2 = Float(1 - pow(Double(beta2), t))
        let (rate, beta1, beta2, epsilon) = (learningRate, self.beta1, self.beta2, self.epsilon)
        let decay = 1 - learningRate * weightDecay
        for (index, parameter) in parameters.enumerated() {
            // Move both moments out of `state` so they can be written at once
            // (two nested mutations of `state` would overlap); no data is copied.
            var firstMoment = state.slots[index][0]
            var secondMoment = state.slots[index][1]
            state.slots[index] = []
            parameter.gradient.withUnsafeBufferPointer { gradient in
                parameter.value.withUnsafeMutableBufferPointer { weights in
                    firstMoment.withUnsafeMutableBufferPointer { firstBuffer in
                        secondMoment.withUnsafeMutableBufferPointer { secondBuffer in
                            let (g, w) = (gradient.baseAddress!, weights.baseAddress!)
                            let (m, v) = (firstBuffer.baseAddress!, secondBuffer.baseAddress!)
                            ParallelLoop.forEachChunk(count: weights.count) { range in
                                let start = range.lowerBound
                                aelab_adam_update(w + start, m + start, v + start, g + start, range.count,
                                                  rate, beta1, beta2, epsilon, correction1, correction2, decay)
                            }
                        }
                    }
                }
            }
            state.slots[index] = [firstMoment, secondMoment]
        }
        state.iterations += 1
    }
}

extension Adam {
    static func register(in registry: inout Registry) {
        registry.optimizers.register("adam", summary: "Adam with bias correction; weight_decay > 0 gives AdamW", parameters: [
            .number("learning_rate", default: 1e-3, range: .positive, doc: "step size"),
            .number("beta1", default: 0.9, range: .unitIntervalOpenAbove, doc: "decay of the first moment"),
            .number("beta2", default: 0.999, range: .unitIntervalOpenAbove, doc: "decay of the second moment"),
            .number("epsilon", default: 1e-7, range: .positive, doc: "added to the root of the second moment"),
            .number("weight_decay", default: 0, range: .nonNegative, doc: "decoupled decay: w -= lr wd w each step"),
        ]) { config, _ in
            Adam(learningRate: Float(try config.double("learning_rate")), beta1: Float(try config.double("beta1")),
                 beta2: Float(try config.double("beta2")), epsilon: Float(try config.double("epsilon")),
                 weightDecay: Float(try config.double("weight_decay")))
        }
    }
}
