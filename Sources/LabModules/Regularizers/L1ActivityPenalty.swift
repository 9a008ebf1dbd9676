import LabCore

/// weight × Σ|a| over a named layer's outputs, per sample (Keras's L1
/// activity regularizer, averaged over the batch): pushes activations to 0.
public struct L1ActivityPenalty: Regularizer {
    public let layer: String?
    public var weight: Double

    public init(layer: String, weight: Double) {
        self.layer = layer
        self.weight = weight
    }

    public func activityPenalty(_ activations: Tensor) -> (value: Double, gradient: Tensor) {
        let scale = weight / Double(max(activations.rows, 1))
        var sum = 0.0
        let gradient = activations.withUnsafeBufferPointer { a in
            Tensor(shape: activations.shape) { g in
                for index in 0..<a.count {
                    sum += Double(abs(a[index]))
                    g[index] = a[index] > 0 ? Float(scale) : (a[index] < 0 ? -Float(scale) : 0)
                }
            }
        }
        return (scale * sum, gradient)
    }
}

extension L1ActivityPenalty {
    static func register(in registry: inout Registry) {
        registry.regularizers.register("l1_activity", summary: "weight * sum |a| of a layer's outputs, per sample", parameters: [
            ParameterSpec("layer", .text, doc: "the layer whose output is penalised, by name (relu_1, sigmoid_1, ...)"),
            .number("weight", range: .positive, doc: "the penalty's factor"),
        ]) { config, _ in
            L1ActivityPenalty(layer: try config.string("layer"), weight: try config.double("weight"))
        }
    }
}
