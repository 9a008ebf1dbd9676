import Foundation
import LabCore

/// The sparse autoencoder's penalty: β Σⱼ KL(ρ ‖ ρ̂ⱼ), where ρ̂ⱼ is unit j's
/// mean activation over the batch and ρ the target, pushing each unit to be
/// active a fraction ρ of the time. For activations in (0, 1), a sigmoid
/// layer's; ρ̂ is clipped to [1e-7, 1 - 1e-7] so the penalty stays finite.
public struct KLSparsityPenalty: Regularizer {
    public let layer: String?
    public var target: Double
    public var weight: Double

    public init(layer: String, target: Double, weight: Double) {
        self.layer = layer
        self.target = target
        self.weight = weight
    }

    public func activityPenalty(_ activations: Tensor) -> (value: Double, gradient: Tensor) {
        let (rows, units) = (max(activations.rows, 1), activations.columns)
        var means = [Double](repeating: 0, count: units)
        activations.withUnsafeBufferPointer { a in
            for index in 0..<a.count { means[index % units] += Double(a[index]) }
        }
        let epsilon = 1e-7
        means = means.map { min(max($0 / Double(rows), epsilon), 1 - epsilon) }
        let rho = target
        let value = weight * means.reduce(0) { $0 + rho * log(rho / $1) + (1 - rho) * log((1 - rho) / (1 - $1)) }
        // d/da_ij = β/B (-ρ/ρ̂ⱼ + (1-ρ)/(1-ρ̂ⱼ))
        let perUnit = means.map { Float(weight / Double(rows) * (-rho / $0 + (1 - rho) / (1 - $0))) }
        let gradient = Tensor(shape: activations.shape) { g in
            for index in 0..<g.count { g[index] = perUnit[index % units] }
        }
        return (value, gradient)
    }
}

extension KLSparsityPenalty {
    static func register(in registry: inout Registry) {
        registry.regularizers.register("kl_sparsity", summary: "beta * sum KL(rho || mean activation) over a layer's units", parameters: [
            ParameterSpec("layer", .text, doc: "the layer whose output is penalised (outputs in (0, 1), e.g. sigmoid_1)"),
            .number("rho", default: 0.05, range: ParameterRange(lower: 0, lowerInclusive: false, upper: 1, upperInclusive: false),
                    doc: "target mean activation"),
            .number("beta", default: 3, range: .positive, doc: "the penalty's factor"),
        ]) { config, _ in
            KLSparsityPenalty(layer: try config.string("layer"), target: try config.double("rho"), weight: try config.double("beta"))
        }
    }
}
