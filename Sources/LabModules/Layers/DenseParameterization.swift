import LabCore

/// How a dense layer's stored values become the map it computes:
/// y = kernelMultiplier · x W + biasMultiplier · b.
///
/// `standard` stores the weights themselves (multipliers 1). `ntk` is the
/// neural-tangent-kernel parameterisation (Jacot et al. 2018), y = σ_w/√fan_in ·
/// x W + β b with W and b drawn at unit scale: the function at initialisation
/// is that of weights of variance σ_w²/fan_in, but each stored weight's
/// gradient carries the factor too, so a full-batch SGD step moves the output
/// by O(1) whatever the width and learning rates of order 1 stay stable.
public struct DenseParameterization: Sendable, Equatable {
    public var kernelMultiplier: Float
    public var biasMultiplier: Float

    public static let standard = DenseParameterization(kernelMultiplier: 1, biasMultiplier: 1)

    public static func ntk(inputSize: Int, weightScale: Double, biasScale: Double) -> DenseParameterization {
        DenseParameterization(kernelMultiplier: Float(weightScale / Double(max(inputSize, 1)).squareRoot()),
                              biasMultiplier: Float(biasScale))
    }

    public var isStandard: Bool { self == .standard }
}
