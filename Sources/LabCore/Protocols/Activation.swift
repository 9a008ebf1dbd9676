/// An elementwise function with its derivative. `ActivationLayer` turns any
/// activation into a layer, so a new activation is just these two functions.
///
/// Implement `value` and `derivative`; the buffer loops have default versions
/// that the compiler specialises for each activation type (they are
/// `@inlinable`), so a plugin's activation runs as tight loops too.
/// `derivative` receives both the input and the output, so functions whose
/// derivative is cheaper from the output (sigmoid, tanh) can use it.
public protocol Activation: Sendable {
    func value(_ x: Float) -> Float
    func derivative(input x: Float, output y: Float) -> Float

    /// `output[i] = value(input[i])`.
    func apply(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>)
    /// `result[i] = vector[i] * derivative(input[i], output[i])`: the backward
    /// pass and the jvp alike.
    func multiplyByDerivative(
        _ vector: UnsafeBufferPointer<Float>, input: UnsafeBufferPointer<Float>,
        output: UnsafeBufferPointer<Float>, into result: UnsafeMutableBufferPointer<Float>)
}

extension Activation {
    @inlinable
    public func apply(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(input.count == output.count)
        for index in 0..<input.count { output[index] = value(input[index]) }
    }

    @inlinable
    public func multiplyByDerivative(
        _ vector: UnsafeBufferPointer<Float>, input: UnsafeBufferPointer<Float>,
        output: UnsafeBufferPointer<Float>, into result: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(vector.count == result.count && input.count == vector.count && output.count == vector.count)
        for index in 0..<vector.count {
            result[index] = vector[index] * derivative(input: input[index], output: output[index])
        }
    }
}
