import CKernels
import LabCore

/// SGD with optional momentum, in Keras's form:
/// v = momentum v - lr g; w += v (Nesterov: w += momentum v - lr g).
public final class StochasticGradientDescent: Optimizer {
    public let typeName = "sgd"
    public var learningRate: Float
    public let momentum: Float
    public let nesterov: Bool
    public var state = OptimizerState()

    public init(learningRate: Float, momentum: Float = 0, nesterov: Bool = false) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
    }

    public var slotNames: [String] { momentum == 0 ? [] : ["momentum"] }

    public func step(_ parameters: [Parameter]) {
        prepareSlots(for: parameters)
        let (rate, momentum, nesterov) = (learningRate, self.momentum, self.nesterov)
        for (index, parameter) in parameters.enumerated() {
            parameter.gradient.withUnsafeBufferPointer { gradient in
                parameter.value.withUnsafeMutableBufferPointer { weights in
                    let (g, w) = (gradient.baseAddress!, weights.baseAddress!)
                    guard momentum != 0 else {
                        ParallelLoop.forEachChunk(count: weights.count) { range in
                            aelab_sgd_update(w + range.lowerBound, g + range.lowerBound, range.count, rate)
                        }
                        return
                    }
                    state.slots[index][0].withUnsafeMutableBufferPointer { velocity in
                        let v = velocity.baseAddress!
                        ParallelLoop.forEachChunk(count: weights.count) { range in
                            let start = range.lowerBound
                            aelab_sgd_momentum_update(w + start, v + start, g + start, range.count,
                                                      rate, momentum, nesterov ? 1 : 0)
                        }
                    }
                }
            }
        }
        state.iterations += 1
    }
}

extension StochasticGradientDescent {
    static func register(in registry: inout Registry) {
        registry.optimizers.register("sgd", summary: "stochastic gradient descent with optional (Nesterov) momentum", parameters: [
            .number("learning_rate", default: 0.01, range: .positive, doc: "step size"),
            .number("momentum", default: 0, range: .unitIntervalOpenAbove, doc: "velocity decay; 0 is plain SGD"),
            .boolean("nesterov", default: false, doc: "Nesterov's look-ahead form of momentum"),
        ]) { config, _ in
            StochasticGradientDescent(learningRate: Float(try config.double("learning_rate")),
                                      momentum: Float(try config.double("momentum")),
                                      nesterov: try config.bool("nesterov"))
        }
    }
}
