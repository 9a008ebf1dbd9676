import CKernels
import LabCore

/// 1 / (1 + e^-x); derivative y (1 - y) from the output. The values come
/// from one C kernel, vectorised over a buffer (libm's exp is a call per
/// value), and the same value by value.
public struct Sigmoid: Activation {
    public init() {}

    public func value(_ x: Float) -> Float { aelab_sigmoid(x) }

    @inlinable public func derivative(input x: Float, output y: Float) -> Float { y * (1 - y) }

    public func apply(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(input.count == output.count)
        guard let source = input.baseAddress, let destination = output.baseAddress else { return }
        aelab_sigmoid_array(source, destination, input.count)
    }
}
extension Sigmoid {
    static func register(in registry: inout Registry) {
        registry.activations.register("sigmoid", summary: "1 / (1 + exp(-x))") { _, _ in Sigmoid() }
    }
}

extension Sigmoid: KerasActivation {
    public func kerasLayer(named name: String) -> KerasLayerConfig {
        kerasActivationLayer("sigmoid", named: name)
    }
}
