import Testing
import TestSupport
import LabCore
@testable import LabModules

@Suite struct LayerGradientTests {
    func dense(bias: Bool) -> Dense {
        let layer = Dense(inputSize: 6, units: 4, usesBias: bias,
                          kernelInitializer: VarianceScaling(scale: 1, mode: .fanAverage, distribution: .uniform),
                          biasInitializer: VarianceScaling(scale: 1, mode: .fanAverage, distribution: .uniform))
        var rng = RandomGenerator(seed: 11)
        layer.initializeParameters(using: &rng)
        return layer
    }

    @Test(arguments: [true, false])
    func denseGradientsMatchFiniteDifferences(bias: Bool) {
        let layer = dense(bias: bias)
        let errors = FiniteDifferences.relativeErrors(layer, input: FiniteDifferences.inputAwayFromZero(shape: [3, 6]))
        #expect(Set(errors.keys) == (bias ? ["input", "kernel", "bias"] : ["input", "kernel"]))
        for (name, error) in errors { #expect(error < 1e-3, "\(name): relative error \(error)") }
        #expect(FiniteDifferences.jvpRelativeError(layer, input: FiniteDifferences.inputAwayFromZero(shape: [3, 6])) < 1e-3)
    }

    @Test func denseForwardIsAffine() {
        let layer = dense(bias: true)
        let x = Tensor(shape: [1, 6], scalars: [1, 0, 0, 0, 0, 2])
        let y = layer.forward(x).output
        for unit in 0..<4 {
            let expected = layer.kernel.value[unit] + 2 * layer.kernel.value[5 * 4 + unit] + layer.bias!.value[unit]
            #expect(abs(y[unit] - expected) < 1e-6)
        }
    }

    static let activations: [(String, any Activation)] = [
        ("relu", ReLU()), ("sigmoid", Sigmoid()), ("tanh", Tanh()),
    ]

    @Test(arguments: activations.map(\.0))
    func activationGradientsAndJVPMatchFiniteDifferences(name: String) {
        let activation = Self.activations.first { $0.0 == name }!.1
        let layer = ActivationLayer(typeName: name, activation: activation, inputShape: [5])
        let input = FiniteDifferences.inputAwayFromZero(shape: [4, 5])
        let errors = FiniteDifferences.relativeErrors(layer, input: input, step: 1e-2)
        #expect(errors["input"]! < 1e-3, "\(name): relative error \(errors["input"]!)")
        #expect(FiniteDifferences.jvpRelativeError(layer, input: input) < 1e-3)
    }

    @Test func activationJVPBroadcastsOnePointOverManyTangents() {
        let layer = ActivationLayer(typeName: "relu", activation: ReLU(), inputShape: [3])
        let (_, cache) = layer.forward(Tensor(shape: [1, 3], scalars: [-1, 2, 0]))
        let tangents = Tensor(shape: [2, 3], scalars: [1, 1, 1, 5, 6, 7])
        #expect(layer.jvp(tangents, cache: cache).scalars == [0, 1, 0, 0, 6, 0])
    }

    @Test func reluDerivativeAtZeroIsTheConfiguredValue() {
        #expect(ReLU().derivative(input: 0, output: 0) == 0)
        #expect(ReLU(derivativeAtZero: 1).derivative(input: 0, output: 0) == 1)
        #expect(Sigmoid().value(0) == 0.5)
        #expect(Tanh().derivative(input: 0, output: 0) == 1)
    }

    @Test func meanSquaredErrorValueAndGradient() throws {
        let prediction = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let target = Tensor(shape: [2, 3], scalars: [1, 1, 1, 1, 1, 1])
        let (value, gradient) = try MeanSquaredError().evaluate(prediction: prediction, target: target)
        #expect(abs(value - (0 + 1 + 4 + 9 + 16 + 25) / 6.0) < 1e-12)
        #expect(zip(gradient.scalars, [0, 1, 2, 3, 4, 5]).allSatisfy { abs($0 - Float($1) / 3) < 1e-6 })

        // And against central differences, on a size that exercises the vector lanes and the tail.
        var rng = RandomGenerator(seed: 8)
        var p = Tensor(shape: [3, 11]) { rng.fillNormal($0) }
        let t = Tensor(shape: [3, 11]) { rng.fillUniform($0) }
        let analytic = try MeanSquaredError().evaluate(prediction: p, target: t).gradient
        let numeric = FiniteDifferences.numericGradient(of: &p, step: 1e-2) { try! MeanSquaredError().evaluate(prediction: $0, target: t).value }
        #expect(FiniteDifferences.compare(analytic.scalars, numeric) < 1e-3)
    }

    @Test func networkBackwardMatchesFiniteDifferencesEndToEnd() throws {
        var rng = RandomGenerator(seed: 12)
        let glorot = VarianceScaling(scale: 1, mode: .fanAverage, distribution: .uniform)
        let layers: [any Layer] = [
            Dense(inputSize: 5, units: 3, usesBias: true, kernelInitializer: glorot, biasInitializer: glorot),
            ActivationLayer(typeName: "tanh", activation: Tanh(), inputShape: [3]),
            Dense(inputSize: 3, units: 5, usesBias: true, kernelInitializer: glorot, biasInitializer: glorot),
            ActivationLayer(typeName: "sigmoid", activation: Sigmoid(), inputShape: [5]),
        ]
        let network = Network(inputShape: [5], layers: layers, layerNames: ["dense_1", "tanh_1", "dense_2", "sigmoid_1"])
        network.initializeParameters(using: &rng)
        let x = Tensor(shape: [4, 5]) { rng.fillUniform($0) }
        let (output, caches) = network.forward(x)
        network.backward(try MeanSquaredError().evaluate(prediction: output, target: x).gradient, caches: caches)
        for parameter in network.parameters {
            var value = parameter.value
            let numeric = FiniteDifferences.numericGradient(of: &value, step: 1e-2) { candidate in
                let saved = parameter.value
                parameter.value = candidate
                defer { parameter.value = saved }
                return try! MeanSquaredError().evaluate(prediction: network(x), target: x).value
            }
            #expect(FiniteDifferences.compare(parameter.gradient.scalars, numeric) < 1e-3, "\(parameter.name)")
        }
    }
}
