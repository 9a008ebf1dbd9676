import Foundation
import Testing
import LabCore
@testable import LabModules

/// The sigmoid and binary cross-entropy run on vectorised exp and log
/// polynomials: both must agree with double-precision libm to float rounding.
@Suite struct VectorMathTests {
    /// A spread of values from -100 to 100, denser near 0, where the sigmoid bends.
    static let inputs: [Float] = (-4000...4000).map { Float($0) / 4000 }.map { $0 * $0 * $0 * 100 }

    @Test func sigmoidMatchesLibmInRelativeTerms() {
        for x in Self.inputs where x > -87 {
            let exact = 1 / (1 + Foundation.exp(-Double(x)))
            let relative = abs(Double(Sigmoid().value(x)) - exact) / exact
            #expect(relative < 3e-7, "sigmoid(\(x)) = \(Sigmoid().value(x)), exact \(exact)")
        }
        #expect(Sigmoid().value(0) == 0.5)
        #expect(Sigmoid().value(200) == 1)
        #expect(Sigmoid().value(-200) >= 0 && Sigmoid().value(-200) < 1e-37)
        #expect(Sigmoid().value(.nan).isNaN)
    }

    @Test func sigmoidOverABufferEqualsValueByValue() {
        let layer = ActivationLayer(typeName: "sigmoid", activation: Sigmoid(), inputShape: [Self.inputs.count])
        let output = layer.forward(Tensor(shape: [1, Self.inputs.count], scalars: Self.inputs)).output
        #expect(output.scalars == Self.inputs.map { Sigmoid().value($0) })
    }

    /// Batches above `ParallelLoop.minimumParallelCount` run in chunks on
    /// several cores: forward and backward still equal value-by-value loops.
    @Test(arguments: [("sigmoid", Sigmoid() as any Activation), ("tanh", Tanh()), ("relu", ReLU())])
    func activationLayerOverALargeBatchEqualsValueByValue(name: String, activation: any Activation) {
        var rng = RandomGenerator(seed: 5)
        let shape = [300, 301]
        #expect(300 * 301 > ParallelLoop.minimumParallelCount)
        let input = Tensor(shape: shape) { rng.fillUniform($0, low: -6, high: 6) }
        let vector = Tensor(shape: shape) { rng.fillUniform($0, low: -1, high: 1) }
        let layer = ActivationLayer(typeName: name, activation: activation, inputShape: [301])
        let (output, cache) = layer.forward(input)
        #expect(output.scalars == input.scalars.map { activation.value($0) })
        let gradient = layer.backward(vector, cache: cache, needsInputGradient: true)!
        let expected = (0..<input.count).map { index in
            vector[index] * activation.derivative(input: input[index], output: output[index])
        }
        #expect(gradient.scalars == expected)
    }

    @Test func binaryCrossEntropyMatchesADoublePrecisionSum() throws {
        var rng = RandomGenerator(seed: 3)
        // Odd length: the vector body and the scalar tail both run.
        let prediction = Tensor(shape: [7, 1001]) { rng.fillUniform($0, low: 1e-6, high: 1 - 1e-6) }
        let target = Tensor(shape: [7, 1001]) { rng.fillUniform($0) }
        let exact = zip(prediction.scalars, target.scalars).reduce(0.0) { sum, pair in
            let (p, t) = (Double(pair.0), Double(pair.1))
            return sum - (t * Foundation.log(p) + (1 - t) * Foundation.log(1 - p))
        } / Double(prediction.count)
        let value = try BinaryCrossEntropy().evaluate(prediction: prediction, target: target).value
        #expect(abs(value - exact) / exact < 1e-6, "\(value) vs \(exact)")
    }

    @Test func binaryCrossEntropyOfANaNPredictionIsNaN() throws {
        let prediction = Tensor(shape: [1, 9], scalars: [0.5, 0.5, 0.5, 0.5, .nan, 0.5, 0.5, 0.5, 0.5])
        let target = Tensor(shape: [1, 9], scalars: [Float](repeating: 1, count: 9))
        #expect(try BinaryCrossEntropy().evaluate(prediction: prediction, target: target).value.isNaN)
    }
}
