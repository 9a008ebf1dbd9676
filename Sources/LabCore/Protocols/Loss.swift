/// A training objective comparing a batch of predictions with targets.
/// Values are means over the batch, so they do not grow with the batch size.
public protocol Loss: Sendable {
    /// The loss and its gradient with respect to `prediction`.
    func evaluate(prediction: Tensor, target: Tensor) throws -> (value: Double, gradient: Tensor)
}
