import LabCore

/// Mean over every scalar of (prediction - target)², as Keras's `mse` reports it
/// for flat samples: mean over features, then over the batch.
public struct MeanSquaredError: Loss {
    public init() {}

    public func evaluate(prediction: Tensor, target: Tensor) throws -> (value: Double, gradient: Tensor) {
        precondition(prediction.shape == target.shape, "prediction \(prediction.shape) vs target \(target.shape)")
        let count = prediction.count
        let scale = 2 / Float(max(count, 1))
        var sum: Double = 0
        let gradient = prediction.withUnsafeBufferPointer { p in
            target.withUnsafeBufferPointer { t in
                Tensor(shape: prediction.shape) { g in
                    // Float partial sums per row keep the loop vectorised; rows add up in Double.
                    let width = max(prediction.columns, 1)
                    var start = 0
                    while start < count {
                        let end = min(start + width, count)
                        var partial: Float = 0
                        for index in start..<end {
                            let difference = p[index] - t[index]
                            partial += difference * difference
                            g[index] = scale * difference
                        }
                        sum += Double(partial)
                        start = end
                    }
                }
            }
        }
        return (sum / Double(max(count, 1)), gradient)
    }
}

extension MeanSquaredError {
    static func register(in registry: inout Registry) {
        registry.losses.register("mse", summary: "mean squared error over all outputs") { _, _ in MeanSquaredError() }
    }
}
