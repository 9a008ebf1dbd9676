import LabCore

/// weight × Σ w² over every kernel (Keras's l2 kernel regularizer; biases and
/// other parameters are left alone), adding 2 weight w to the kernels' gradients.
public struct L2WeightPenalty: Regularizer {
    public let layer: String? = nil
    public var weight: Double

    public init(weight: Double) {
        self.weight = weight
    }

    public func addParameterPenalty(to parameters: [Parameter]) -> Double {
        var sum = 0.0
        let factor = Float(2 * weight)
        for parameter in parameters where parameter.name == "kernel" {
            parameter.value.withUnsafeBufferPointer { w in
                parameter.gradient.withUnsafeMutableBufferPointer { g in
                    for index in 0..<w.count {
                        sum += Double(w[index] * w[index])
                        g[index] += factor * w[index]
                    }
                }
            }
        }
        return weight * sum
    }
}

extension L2WeightPenalty {
    static func register(in registry: inout Registry) {
        registry.regularizers.register("l2_weight", summary: "weight * sum w^2 over every kernel (weight decay)", parameters: [
            .number("weight", range: .positive, doc: "the penalty's factor"),
        ]) { config, _ in
            L2WeightPenalty(weight: try config.double("weight"))
        }
    }
}
