import LabCore

/// x for x > 0, slope x otherwise (Keras's LeakyReLU default slope 0.3 differs
/// from PyTorch's 0.01: give `slope`).
public struct LeakyReLU: Activation {
    public var slope: Float

    public init(slope: Float) {
        self.slope = slope
    }

    @inlinable public func value(_ x: Float) -> Float { x > 0 ? x : slope * x }
    @inlinable public func derivative(input x: Float, output y: Float) -> Float { x > 0 ? 1 : slope }
}

extension LeakyReLU {
    static func register(in registry: inout Registry) {
        registry.activations.register("leaky_relu", summary: "x for x > 0, slope * x otherwise", parameters: [
            .number("slope", default: 0.01, range: .nonNegative, doc: "the slope for x <= 0 (PyTorch 0.01, Keras 0.3)"),
        ]) { config, _ in
            LeakyReLU(slope: Float(try config.double("slope")))
        }
    }
}

extension LeakyReLU: KerasActivation {
    public func kerasLayer(named name: String) -> KerasLayerConfig {
        KerasLayerConfig("LeakyReLU", name: name, [ConfigValue.Entry("negative_slope", .double(Double(slope)))])
    }
}
