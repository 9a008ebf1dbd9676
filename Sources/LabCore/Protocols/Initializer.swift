/// Draws the initial values of a parameter tensor from its fan-in and fan-out.
public protocol Initializer: Sendable {
    func fill(_ tensor: inout Tensor, fanIn: Int, fanOut: Int, using rng: inout RandomGenerator)
}
