/// A training objective comparing a batch of predictions with targets.
///
/// An implementer guarantees: the value is a mean over the batch (it does
/// not grow with the batch size); the gradient has the prediction's shape and
/// is the exact derivative of that value; inputs it cannot score (targets
/// outside a loss's domain) are a thrown error that says what was allowed,
/// never a silent NaN.
public protocol Loss: Sendable {
    /// The loss and its gradient with respect to `prediction`.
    func evaluate(prediction: Tensor, target: Tensor) throws -> (value: Double, gradient: Tensor)
}
