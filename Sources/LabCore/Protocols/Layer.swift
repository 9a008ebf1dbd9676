/// One stage of a network, acting on a batch whose leading dimension is the batch.
///
/// What an implementer must guarantee:
/// - `forward` maps a batch of shape `[B] + inputShape` to `[B] + outputShape`
///   and returns whatever `backward` and `jvp` need in its cache; it must not
///   change the layer.
/// - `backward(g, cache:)` with `g` shaped like the forward output overwrites
///   each parameter's `gradient` with dLoss/dParameter summed over the batch,
///   and returns dLoss/dInput (or nil when `needsInputGradient` is false, which
///   the first layer of a network is told, to skip a product nobody reads).
/// - `jvp(t, cache:)` pushes tangent vectors through the linearisation at the
///   cached point: with a cache of batch B, `t` has batch B (one tangent per
///   point) or the cache has batch 1 and `t` any batch (many tangents at one
///   point, as the Jacobian analyses use). Parameters are held fixed.
/// - Parameter names are stable: checkpoints and optimizer state use them.
public protocol Layer: AnyObject {
    /// The registry name this layer was built from (`dense`, `relu`).
    var typeName: String { get }
    /// Shape of one input sample and one output sample.
    var inputShape: [Int] { get }
    var outputShape: [Int] { get }
    /// Trainable tensors in a fixed order; empty for parameter-free layers.
    var parameters: [Parameter] { get }
    /// True when `jvp` does not depend on the cached point (the layer is
    /// linear in its input, as Dense is): analyses then push tangents through
    /// it once for all points.
    var hasConstantJacobian: Bool { get }
    /// Values per sample of the largest temporary a forward or backward pass
    /// makes beyond its input and output (a convolution's im2col rows), for
    /// memory estimates made before anything is allocated.
    var scratchScalarsPerSample: Double { get }

    /// Draws fresh parameter values (the layer's configured initializers).
    func initializeParameters(using rng: inout RandomGenerator)
    func forward(_ input: Tensor) -> (output: Tensor, cache: any LayerCache)
    func backward(_ outputGradient: Tensor, cache: any LayerCache, needsInputGradient: Bool) -> Tensor?
    func jvp(_ tangents: Tensor, cache: any LayerCache) -> Tensor
}

extension Layer {
    public var parameters: [Parameter] { [] }
    public var hasConstantJacobian: Bool { false }
    public var scratchScalarsPerSample: Double { 0 }
    public func initializeParameters(using rng: inout RandomGenerator) {}
}
