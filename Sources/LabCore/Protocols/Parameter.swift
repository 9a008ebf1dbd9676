/// A trainable tensor with a name (`kernel`, `bias`) and its latest gradient.
///
/// Layers own their parameters; optimizers and checkpoints reach them through
/// `Layer.parameters`. `backward` overwrites `gradient` (it does not accumulate),
/// and the optimizer reads it, so a training step allocates no gradient storage.
///
/// A parameter declared by its shape allocates its value and gradient when
/// first touched, so a network can be composed and its memory estimated
/// before anything large exists.
public final class Parameter {
    public let name: String
    /// The shape the layer declared; `value` and `gradient` keep it.
    public let shape: [Int]
    private let initialValue: Float
    private var valueStorage: Tensor?
    private var gradientStorage: Tensor?

    // Not `lazy var`: a lazy property is mutated through get and set, which
    // copies the whole tensor on every in-place write (each optimizer step,
    // each gradient); `_modify` yields the stored tensor itself.
    public var value: Tensor {
        get { allocateValue(); return valueStorage! }
        set { valueStorage = newValue }
        _modify { allocateValue(); yield &valueStorage! }
    }

    public var gradient: Tensor {
        get { allocateGradient(); return gradientStorage! }
        set { gradientStorage = newValue }
        _modify { allocateGradient(); yield &gradientStorage! }
    }

    public init(name: String, value: Tensor) {
        self.name = name
        shape = value.shape
        initialValue = 0
        valueStorage = value
    }

    /// `shape` filled with `initialValue`, allocated on first use.
    public init(name: String, shape: [Int], repeating initialValue: Float = 0) {
        self.name = name
        self.shape = shape
        self.initialValue = initialValue
    }

    /// Values this parameter holds, without allocating them.
    public var scalarCount: Int { Tensor.requiredCount(of: shape) }

    private func allocateValue() {
        if valueStorage == nil { valueStorage = Tensor(repeating: initialValue, shape: shape) }
    }

    private func allocateGradient() {
        if gradientStorage == nil { gradientStorage = Tensor(zeros: shape) }
    }
}
