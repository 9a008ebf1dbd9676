import Foundation
import LabCore

/// 1 / (1 + e^-x); derivative y (1 - y) from the output.
public struct Sigmoid: Activation {
    public init() {}

    @inlinable public func value(_ x: Float) -> Float { 1 / (1 + exp(-x)) }

    @inlinable public func derivative(input x: Float, output y: Float) -> Float { y * (1 - y) }
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
