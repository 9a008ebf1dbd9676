import LabCore

/// x, for linear layers written as a list (`- identity`) and linear outputs.
public struct Identity: Activation {
    public init() {}
    @inlinable public func value(_ x: Float) -> Float { x }
    @inlinable public func derivative(input x: Float, output y: Float) -> Float { 1 }
}

extension Identity {
    static func register(in registry: inout Registry) {
        registry.activations.register("identity", summary: "x") { _, _ in Identity() }
    }
}

extension Identity: KerasActivation {
    public func kerasLayer(named name: String) -> KerasLayerConfig {
        kerasActivationLayer("linear", named: name)
    }
}
