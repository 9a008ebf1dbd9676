import LabCore

/// max(x, 0). Its derivative at the kink x = 0 is a parameter
/// (`derivative_at_zero`, default 0 as in TensorFlow and PyTorch) for
/// training; the Jacobian analyses set their own (`derivative_at_kink`).
public struct ReLU: KinkedActivation {
    public var derivativeAtZero: Float

    public init(derivativeAtZero: Float = 0) {
        self.derivativeAtZero = derivativeAtZero
    }

    @inlinable public func value(_ x: Float) -> Float { max(x, 0) }

    @inlinable public func derivative(input x: Float, output y: Float) -> Float {
        x > 0 ? 1 : (x == 0 ? derivativeAtZero : 0)
    }

    public func withDerivativeAtKink(_ value: Float) -> ReLU { ReLU(derivativeAtZero: value) }
}

extension ReLU {
    static func register(in registry: inout Registry) {
        registry.activations.register("relu", summary: "max(x, 0)", parameters: [
            .number("derivative_at_zero", default: 0, range: .unitInterval, doc: "the derivative used at x = 0 exactly in training (the Jacobian analyses have their own)"),
        ]) { config, _ in
            ReLU(derivativeAtZero: Float(try config.double("derivative_at_zero")))
        }
    }
}

extension ReLU: KerasActivation {
    public func kerasLayer(named name: String) -> KerasLayerConfig {
        kerasActivationLayer("relu", named: name)
    }
}
