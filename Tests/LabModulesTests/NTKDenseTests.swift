import Testing
import TestSupport
import LabCore
@testable import LabModules

/// The ntk parameterisation of `dense`: y = σ_w/√in · x W + β b over unit-scale
/// W and b, checked against finite differences and against the standard layer
/// holding the scaled weights.
@Suite struct NTKDenseTests {
    static let (inputs, units, weightScale, biasScale) = (6, 4, 1.5, 0.3)

    func ntkDense(bias: Bool = true) -> Dense {
        let layer = Dense(inputSize: Self.inputs, units: Self.units, usesBias: bias,
                          parameterization: .ntk(inputSize: Self.inputs, weightScale: Self.weightScale, biasScale: Self.biasScale),
                          kernelInitializer: RandomNormal(), biasInitializer: RandomNormal())
        var rng = RandomGenerator(seed: 3)
        layer.initializeParameters(using: &rng)
        return layer
    }

    @Test(arguments: [true, false])
    func gradientsAndJVPMatchFiniteDifferences(bias: Bool) {
        let layer = ntkDense(bias: bias)
        let input = FiniteDifferences.inputAwayFromZero(shape: [3, Self.inputs])
        let errors = FiniteDifferences.relativeErrors(layer, input: input)
        #expect(Set(errors.keys) == (bias ? ["input", "kernel", "bias"] : ["input", "kernel"]))
        for (name, error) in errors { #expect(error < 1e-3, "\(name): relative error \(error)") }
        #expect(FiniteDifferences.jvpRelativeError(layer, input: input) < 1e-3)
    }

    /// The same map as a standard layer whose weights are the multiplied
    /// ones; the stored weights' gradients are the standard ones times the
    /// multipliers (the chain rule through W_eff = αW, b_eff = βb).
    @Test func computesTheStandardLayerOfTheScaledWeights() {
        let ntk = ntkDense()
        let alpha = Float(Self.weightScale / Double(Self.inputs).squareRoot())
        let beta = Float(Self.biasScale)
        let standard = Dense(inputSize: Self.inputs, units: Self.units, usesBias: true,
                             kernelInitializer: Constant(0), biasInitializer: Constant(0))
        standard.kernel.value = Tensor(shape: ntk.kernel.value.shape, scalars: ntk.kernel.value.scalars.map { alpha * $0 })
        standard.bias!.value = Tensor(shape: [Self.units], scalars: ntk.bias!.value.scalars.map { beta * $0 })
        let input = FiniteDifferences.inputAwayFromZero(shape: [5, Self.inputs])
        let (ntkOutput, ntkCache) = ntk.forward(input)
        let (standardOutput, standardCache) = standard.forward(input)
        expectClose(ntkOutput.scalars, standardOutput.scalars)
        let gradient = FiniteDifferences.inputAwayFromZero(shape: [5, Self.units], seed: 9)
        let ntkInputGradient = ntk.backward(gradient, cache: ntkCache, needsInputGradient: true)!
        let standardInputGradient = standard.backward(gradient, cache: standardCache, needsInputGradient: true)!
        expectClose(ntkInputGradient.scalars, standardInputGradient.scalars)
        expectClose(ntk.kernel.gradient.scalars, standard.kernel.gradient.scalars.map { alpha * $0 })
        expectClose(ntk.bias!.gradient.scalars, standard.bias!.gradient.scalars.map { beta * $0 })
    }

    @Test func hasNoKerasCounterpartButTheStandardFormHas() {
        #expect(ntkDense().kerasLayers(named: "dense_1") == nil)
        let standard = Dense(inputSize: 2, units: 2, usesBias: true, kernelInitializer: Constant(0), biasInitializer: Constant(0))
        #expect(standard.kerasLayers(named: "dense_1")?.count == 1)
    }

    @Test func normalInitializerDrawsTheAskedMeanAndDeviation() {
        var tensor = Tensor(shape: [200_000]) { _ in }
        var rng = RandomGenerator(seed: 1)
        RandomNormal(mean: 0.5, standardDeviation: 2).fill(&tensor, fanIn: 7, fanOut: 3, using: &rng)
        let values = tensor.scalars.map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
        // Standard errors: 2/sqrt(2e5) = 0.0045 for the mean, about 0.0063 x 4 for the variance.
        #expect(abs(mean - 0.5) < 0.02)
        #expect(abs(variance - 4) < 0.1)
    }

    func expectClose(_ actual: [Float], _ expected: [Float], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (a, e) in zip(actual, expected) {
            #expect(abs(a - e) <= 1e-5 * max(1, abs(e)), "\(a) vs \(e)", sourceLocation: sourceLocation)
        }
    }
}
