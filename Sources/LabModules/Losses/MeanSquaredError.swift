import CKernels
import LabCore

/// Mean over every scalar of (prediction - target)², as Keras's `mse` reports it
/// for flat samples: mean over features, then over the batch.
public struct MeanSquaredError: Loss {
    public init() {}

    public func evaluate(prediction: Tensor, target: Tensor) throws -> (value: Double, gradient: Tensor) {
        precondition(prediction.shape == target.shape, "prediction \(prediction.shape) vs target \(target.shape)")
        let count = max(prediction.count, 1)
        var sum = 0.0
        let gradient = prediction.withUnsafeBufferPointer { p in
            target.withUnsafeBufferPointer { t in
                Tensor(shape: prediction.shape) { g in
                    sum = aelab_squared_error(p.baseAddress, t.baseAddress, g.baseAddress, p.count, 2 / Float(count))
                }
            }
        }
        return (sum / Double(count), gradient)
    }
}

extension MeanSquaredError {
    static func register(in registry: inout Registry) {
        registry.losses.register("mse", summary: "mean squared error over all outputs") { _, _ in MeanSquaredError() }
    }
}
