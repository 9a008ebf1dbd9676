/// Draws the initial values of a parameter tensor from its fan-in and fan-out.
///
/// An implementer guarantees: every element of the tensor is written, its
/// shape is unchanged, and all randomness comes from the generator passed in.
public protocol Initializer: Sendable {
    func fill(_ tensor: inout Tensor, fanIn: Int, fanOut: Int, using rng: inout RandomGenerator)
}
