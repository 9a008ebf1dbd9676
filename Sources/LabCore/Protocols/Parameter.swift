/// A trainable tensor with a name (`kernel`, `bias`) and its latest gradient.
///
/// Layers own their parameters; optimizers and checkpoints reach them through
/// `Layer.parameters`. `backward` overwrites `gradient` (it does not accumulate),
/// and the optimizer reads it, so a training step allocates no gradient storage.
public final class Parameter {
    public let name: String
    public var value: Tensor
    public var gradient: Tensor

    public init(name: String, value: Tensor) {
        self.name = name
        self.value = value
        self.gradient = Tensor(zeros: value.shape)
    }
}
