import Foundation
import LabCore

/// tanh x; derivative 1 - y² from the output.
public struct Tanh: Activation {
    public init() {}

    @inlinable public func value(_ x: Float) -> Float { tanh(x) }

    @inlinable public func derivative(input x: Float, output y: Float) -> Float { 1 - y * y }
}

extension Tanh {
    static func register(in registry: inout Registry) {
        registry.activations.register("tanh", summary: "hyperbolic tangent") { _, _ in Tanh() }
    }
}

extension Tanh: KerasActivation {
    public func kerasLayer(named name: String) -> KerasLayerConfig {
        kerasActivationLayer("tanh", named: name)
    }
}
