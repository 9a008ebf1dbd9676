import CKernels
import LabCore

/// Mean binary cross-entropy, -[t log p + (1 - t) log(1 - p)], over all
/// outputs, for predictions in (0, 1) (a sigmoid output) and targets in
/// [0, 1]. Predictions are clipped to [ε, 1 - ε] with Keras's ε = 1e-7, so a
/// saturated sigmoid gives a large but finite loss; the gradient is that of
/// the clipped loss (zero where the clip is active, as in Keras).
public struct BinaryCrossEntropy: Loss {
    public static let epsilon: Float = 1e-7

    public init() {}

    public func evaluate(prediction: Tensor, target: Tensor) throws -> (value: Double, gradient: Tensor) {
        precondition(prediction.shape == target.shape, "prediction \(prediction.shape) vs target \(target.shape)")
        let count = max(prediction.count, 1)
        let scale = 1 / Float(count)
        var sum = 0.0
        let gradient = prediction.withUnsafeBufferPointer { p in
            target.withUnsafeBufferPointer { t in
                Tensor(shape: prediction.shape) { g in
                    let (pp, tt, gg) = (p.baseAddress!, t.baseAddress!, g.baseAddress!)
                    // Large batches split across cores (the other core idles during loss work).
                    sum = ParallelLoop.sum(count: p.count) { range in
                        let start = range.lowerBound
                        return aelab_binary_cross_entropy(pp + start, tt + start, gg + start, range.count, scale, Self.epsilon)
                    }
                }
            }
        }
        // The kernel's sum is NaN when a target is out of range; only then are the targets read again.
        if sum.isNaN, let outside = target.scalars.first(where: { !($0 >= 0 && $0 <= 1) }) {
            throw LossInputError(description: "bce: a target is \(outside), outside [0, 1]; binary cross-entropy needs targets in [0, 1] (scale the data, or use mse)")
        }
        return (sum / Double(count), gradient)
    }
}

extension BinaryCrossEntropy {
    static func register(in registry: inout Registry) {
        registry.losses.register("bce", summary: "binary cross-entropy for outputs in (0, 1) and targets in [0, 1]") { _, _ in
            BinaryCrossEntropy()
        }
    }
}
