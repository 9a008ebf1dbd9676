/// A penalty added to the training loss: on one named layer's output (an
/// activity penalty, as sparse autoencoders use) or on the parameters (weight
/// decay).
///
/// An implementer guarantees: for an activity penalty, `layer` names the
/// layer and `activityPenalty` returns the penalty of a batch of that layer's
/// outputs with its exact gradient (same shape); for a parameter penalty,
/// `layer` is nil and `addParameterPenalty` adds its exact gradient to each
/// parameter's `gradient` and returns its value. Values are per batch mean,
/// like the loss, so they add to it.
public protocol Regularizer {
    var layer: String? { get }
    func activityPenalty(_ activations: Tensor) -> (value: Double, gradient: Tensor)
    func addParameterPenalty(to parameters: [Parameter]) -> Double
}

extension Regularizer {
    public func activityPenalty(_ activations: Tensor) -> (value: Double, gradient: Tensor) {
        (0, Tensor(zeros: activations.shape))
    }

    public func addParameterPenalty(to parameters: [Parameter]) -> Double { 0 }
}
