import LabCore

/// One optimisation step on one batch: forward, loss (plus penalties),
/// backward, update. The trainer and the benchmark run this same code.
public struct TrainingStep {
    public let network: Network
    public let loss: any Loss
    public let optimizer: any Optimizer
    private let parameters: [Parameter]
    /// What the optimizer updates: the parameters of layers not frozen.
    private let trainableParameters: [Parameter]
    /// Activity penalties with the index of the layer they watch; parameter penalties.
    private let activityPenalties: [(layer: Int, regularizer: any Regularizer)]
    private let parameterPenalties: [any Regularizer]

    public init(network: Network, loss: any Loss, optimizer: any Optimizer, regularizers: [any Regularizer] = []) {
        self.network = network
        self.loss = loss
        self.optimizer = optimizer
        parameters = network.parameters
        trainableParameters = network.trainableParameters
        activityPenalties = regularizers.compactMap { regularizer in
            regularizer.layer.map { name in (network.layerNames.firstIndex(of: name)!, regularizer) }
        }
        parameterPenalties = regularizers.filter { $0.layer == nil }
    }

    /// Trains on `input` towards `target` and returns the batch's loss (with
    /// penalties) before the update.
    @discardableResult
    public func callAsFunction(input: Tensor, target: Tensor) throws -> Double {
        let (output, caches, kept) = network.forward(input, keepingOutputsOf: Set(activityPenalties.map(\.layer)))
        var (value, gradient) = try loss.evaluate(prediction: output, target: target)
        var extra: [Int: Tensor] = [:]
        for (layer, regularizer) in activityPenalties {
            let (penalty, penaltyGradient) = regularizer.activityPenalty(kept[layer]!)
            value += penalty
            if var sum = extra[layer] {
                sum.withUnsafeMutableBufferPointer { s in
                    penaltyGradient.withUnsafeBufferPointer { p in for i in 0..<s.count { s[i] += p[i] } }
                }
                extra[layer] = sum
            } else {
                extra[layer] = penaltyGradient
            }
        }
        network.backward(gradient, caches: caches, extraGradients: extra)
        for regularizer in parameterPenalties { value += regularizer.addParameterPenalty(to: parameters) }
        optimizer.step(trainableParameters)
        return value
    }
}
