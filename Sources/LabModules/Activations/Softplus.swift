import Foundation
import LabCore

/// log(1 + e^x), computed as max(x, 0) + log1p(e^-|x|) so it neither
/// overflows for large x nor loses precision for very negative x;
/// its derivative is the sigmoid.
public struct Softplus: Activation {
    public init() {}

    @inlinable public func value(_ x: Float) -> Float { max(x, 0) + log1p(exp(-abs(x))) }
    @inlinable public func derivative(input x: Float, output y: Float) -> Float { 1 / (1 + exp(-x)) }
}

extension Softplus {
    static func register(in registry: inout Registry) {
        registry.activations.register("softplus", summary: "log(1 + exp(x))") { _, _ in Softplus() }
    }
}

extension Softplus: KerasActivation {
    public func kerasLayer(named name: String) -> KerasLayerConfig {
        kerasActivationLayer("softplus", named: name)
    }
}
