import Foundation
import LabCore

/// The error function erf(x); derivative 2/√π e^(-x²).
public struct Erf: Activation {
    public init() {}

    @inlinable public func value(_ x: Float) -> Float { erf(x) }
    @inlinable public func derivative(input x: Float, output y: Float) -> Float { 1.1283791670955126 * exp(-x * x) }
}

extension Erf {
    static func register(in registry: inout Registry) {
        registry.activations.register("erf", summary: "the error function erf(x)") { _, _ in Erf() }
    }
}
