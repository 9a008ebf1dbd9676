import Testing
import LabCore
import TestSupport
@testable import LabModules

@Suite struct RegularizerTests {
    func checkActivityGradient(_ regularizer: any Regularizer, activations: Tensor) {
        var point = activations
        let analytic = regularizer.activityPenalty(activations).gradient
        let numeric = FiniteDifferences.numericGradient(of: &point, step: 1e-3) { regularizer.activityPenalty($0).value }
        #expect(FiniteDifferences.compare(analytic.scalars, numeric) < 1e-3, "\(type(of: regularizer))")
    }

    @Test func activityPenaltiesMatchFiniteDifferences() {
        var rng = RandomGenerator(seed: 1)
        let signed = FiniteDifferences.inputAwayFromZero(shape: [4, 6])
        checkActivityGradient(L1ActivityPenalty(layer: "relu_1", weight: 0.1), activations: signed)
        let fractions = Tensor(shape: [5, 6]) { rng.fillUniform($0, low: 0.05, high: 0.6) }
        checkActivityGradient(KLSparsityPenalty(layer: "sigmoid_1", target: 0.1, weight: 3), activations: fractions)
    }

    @Test func knownValues() {
        let activations = Tensor(shape: [2, 2], scalars: [1, -2, 0, 3])
        #expect(abs(L1ActivityPenalty(layer: "x", weight: 0.5).activityPenalty(activations).value - 0.5 * 6 / 2) < 1e-12)
        // Units at exactly the target mean cost nothing.
        let atTarget = Tensor(shape: [2, 1], scalars: [0.1, 0.1])
        #expect(abs(KLSparsityPenalty(layer: "x", target: 0.1, weight: 3).activityPenalty(atTarget).value) < 1e-9)
    }

    @Test func weightDecayAddsToKernelGradientsOnly() {
        let kernel = Parameter(name: "kernel", value: Tensor(shape: [2], scalars: [1, -2]))
        let bias = Parameter(name: "bias", value: Tensor(shape: [1], scalars: [5]))
        let value = L2WeightPenalty(weight: 0.1).addParameterPenalty(to: [kernel, bias])
        #expect(abs(value - 0.1 * 5) < 1e-7)
        #expect(kernel.gradient.scalars == [0.2, -0.4])
        #expect(bias.gradient.scalars == [0])
    }
}
