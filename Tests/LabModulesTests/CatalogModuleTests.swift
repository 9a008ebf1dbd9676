import Foundation
import Testing
import LabCore
import TestSupport
@testable import LabModules

/// The further activations, PReLU and binary cross-entropy against finite differences.
@Suite struct CatalogModuleTests {
    static let activations: [String: any Activation] = [
        "identity": Identity(), "leaky_relu": LeakyReLU(slope: 0.2), "softplus": Softplus(), "erf": Erf(),
    ]

    @Test(arguments: ["identity", "leaky_relu", "softplus", "erf"])
    func activationGradientsAndJVP(name: String) {
        let layer = ActivationLayer(typeName: name, activation: Self.activations[name]!, inputShape: [5])
        let input = FiniteDifferences.inputAwayFromZero(shape: [4, 5])
        #expect(FiniteDifferences.relativeErrors(layer, input: input)["input"]! < 1e-3)
        #expect(FiniteDifferences.jvpRelativeError(layer, input: input) < 1e-3)
    }

    @Test func knownValues() {
        #expect(abs(Softplus().value(0) - 0.6931472) < 1e-6)
        #expect(Softplus().value(100) == 100)           // no overflow
        #expect(Softplus().value(-100) > 0)              // no underflow to a wrong sign
        #expect(abs(Erf().value(1) - 0.8427008) < 1e-6)
        #expect(LeakyReLU(slope: 0.3).value(-2) == -0.6)
    }

    @Test(arguments: [true, false])
    func preluGradientsIncludingItsSlope(shared: Bool) {
        let layer = PReLU(inputShape: [5], shared: shared, initialSlope: 0.25)
        var rng = RandomGenerator(seed: 1)
        layer.alpha.value = Tensor(shape: layer.alpha.value.shape) { rng.fillUniform($0, low: 0.1, high: 0.5) }
        let input = FiniteDifferences.inputAwayFromZero(shape: [4, 5])
        let errors = FiniteDifferences.relativeErrors(layer, input: input)
        #expect(Set(errors.keys) == ["input", "alpha"])
        for (name, error) in errors { #expect(error < 1e-3, "\(name): \(error)") }
        #expect(FiniteDifferences.jvpRelativeError(layer, input: input) < 1e-3)
        #expect(layer.alpha.value.shape == [shared ? 1 : 5])
    }

    @Test func binaryCrossEntropyValueGradientAndDomain() throws {
        let p = Tensor(shape: [1, 2], scalars: [0.8, 0.1])
        let t = Tensor(shape: [1, 2], scalars: [1, 0])
        let (value, _) = try BinaryCrossEntropy().evaluate(prediction: p, target: t)
        #expect(abs(value - (-log(0.8) - log(0.9)) / 2) < 1e-6)

        var rng = RandomGenerator(seed: 2)
        var prediction = Tensor(shape: [3, 7]) { rng.fillUniform($0, low: 0.05, high: 0.95) }
        let target = Tensor(shape: [3, 7]) { rng.fillUniform($0) }
        let analytic = try BinaryCrossEntropy().evaluate(prediction: prediction, target: target).gradient
        let numeric = FiniteDifferences.numericGradient(of: &prediction, step: 1e-3) {
            try! BinaryCrossEntropy().evaluate(prediction: $0, target: target).value
        }
        #expect(FiniteDifferences.compare(analytic.scalars, numeric) < 1e-3)

        // A saturated prediction stays finite; a target outside [0, 1] is refused with the reason.
        #expect(try BinaryCrossEntropy().evaluate(prediction: Tensor(shape: [1, 1], scalars: [0]), target: Tensor(shape: [1, 1], scalars: [1])).value.isFinite)
        let error = #expect(throws: LossInputError.self) {
            try BinaryCrossEntropy().evaluate(prediction: p, target: Tensor(shape: [1, 2], scalars: [1, 2]))
        }
        #expect(error?.description.contains("a target is 2.0, outside [0, 1]") == true)

        // The check rides in the kernel: a bad target is found in any lane, in the
        // tail, and in the second core's chunk of a large batch; NaN is refused too.
        let count = 3 * ParallelLoop.minimumParallelCount + 5
        let halves = Tensor(shape: [1, count], scalars: [Float](repeating: 0.5, count: count))
        for (position, bad) in [(3, Float(-0.5)), (count - 1, Float(1.5)), (count - 20, Float.nan)] {
            var scalars = [Float](repeating: 0.25, count: count)
            scalars[position] = bad
            #expect(throws: LossInputError.self) {
                try BinaryCrossEntropy().evaluate(prediction: halves, target: Tensor(shape: [1, count], scalars: scalars))
            }
        }
        #expect(try BinaryCrossEntropy().evaluate(prediction: halves, target: Tensor(shape: [1, count], scalars: [Float](repeating: 1, count: count))).value.isFinite)
    }
}
