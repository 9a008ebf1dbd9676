import Foundation
import LabCore

/// SiLU, also called swish: x · σ(βx), smooth and non-monotone, common in
/// modern networks. Its derivative is σ(βx) + βx σ(βx)(1 - σ(βx)).
public struct SiLU: Activation {
    public var beta: Float

    public init(beta: Float = 1) {
        self.beta = beta
    }

    @inlinable public func value(_ x: Float) -> Float {
        x / (1 + exp(-beta * x))
    }

    @inlinable public func derivative(input x: Float, output y: Float) -> Float {
        let s = 1 / (1 + exp(-beta * x))
        return s + beta * x * s * (1 - s)
    }
}
