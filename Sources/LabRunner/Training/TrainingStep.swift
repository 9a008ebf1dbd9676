import LabCore

/// One optimisation step on one batch: forward, loss, backward, update.
/// The trainer and the benchmark run this same code.
public struct TrainingStep {
    public let network: Network
    public let loss: any Loss
    public let optimizer: any Optimizer
    private let parameters: [Parameter]

    public init(network: Network, loss: any Loss, optimizer: any Optimizer) {
        self.network = network
        self.loss = loss
        self.optimizer = optimizer
        parameters = network.parameters
    }

    /// Trains on `input` towards `target` and returns the batch's loss before the update.
    @discardableResult
    public func callAsFunction(input: Tensor, target: Tensor) throws -> Double {
        let (output, caches) = network.forward(input)
        let (value, gradient) = try loss.evaluate(prediction: output, target: target)
        network.backward(gradient, caches: caches)
        optimizer.step(parameters)
        return value
    }
}
