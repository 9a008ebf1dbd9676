import Foundation
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
        var sum = 0.0
        var outside: Float?
        let gradient = prediction.withUnsafeBufferPointer { p in
            target.withUnsafeBufferPointer { t in
                Tensor(shape: prediction.shape) { g in
                    for index in 0..<p.count {
                        let y = t[index]
                        if !(y >= 0 && y <= 1) { outside = y }
                        let clipped = min(max(p[index], Self.epsilon), 1 - Self.epsilon)
                        sum -= Double(y) * log(Double(clipped)) + Double(1 - y) * log(Double(1 - clipped))
                        let inside = p[index] > Self.epsilon && p[index] < 1 - Self.epsilon
                        g[index] = inside ? (clipped - y) / (clipped * (1 - clipped)) / Float(count) : 0
                    }
                }
            }
        }
        if let outside {
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
