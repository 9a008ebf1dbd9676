/// An activation with a kink where its derivative is a convention rather than
/// a value (ReLU at 0). Training uses the activation's own convention; the
/// Jacobian analyses choose theirs with `withDerivativeAtKink`, because the
/// study they reproduce linearised its nets with ReLU'(0) = 0.5 while
/// training them with 0 (TensorFlow's gradient).
public protocol KinkedActivation: Activation {
    /// The same activation with `value` as its derivative at the kink.
    func withDerivativeAtKink(_ value: Float) -> Self
}
