import Testing
import LabCore
@testable import LabModules

@Suite struct AnalysisNumericsTests {
    static let glorot = VarianceScaling(scale: 1, mode: .fanAverage, distribution: .uniform)

    func dense(_ input: Int, _ output: Int, kernel: [Float], bias: [Float]? = nil) -> Dense {
        let layer = Dense(inputSize: input, units: output, usesBias: bias != nil,
                          kernelInitializer: Self.glorot, biasInitializer: Constant(0))
        layer.kernel.value = Tensor(shape: [input, output], scalars: kernel)
        if let bias { layer.bias!.value = Tensor(shape: [output], scalars: bias) }
        return layer
    }

    /// f(x) = x W1 W2 with W1 (6 x 2), W2 (2 x 6): J's nonzero eigenvalues are W2 W1's.
    func linearAutoencoder(_ small: [[Float]]) -> Network {
        var w1 = [Float](repeating: 0, count: 12)
        var w2 = [Float](repeating: 0, count: 12)
        w1[0] = 1; w1[3] = 1                    // W1 = [e0 e1]: picks the first two coordinates
        w2[0] = small[0][0]; w2[1] = small[1][0] // W2 = [[a, b, 0...], [c, d, 0...]] so W2 W1 = [[a, b], [c, d]]ᵀ-arranged
        w2[6] = small[0][1]; w2[7] = small[1][1]
        return Network(inputShape: [6], layers: [dense(6, 2, kernel: w1), dense(2, 6, kernel: w2)], layerNames: ["dense_1", "dense_2"])
    }

    @Test func linearAutoencoderHasTheChosenEigenvaluesByBothRoutes() throws {
        let point = Tensor(shape: [6], scalars: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
        let diagonal = linearAutoencoder([[2, 0], [0, 0.5]])
        for route in [JacobianSpectrum.Route.lowRank, .full] {
            let spectrum = try JacobianSpectrum(route: route, topCount: 3, leadingVector: true).spectrum(of: diagonal, at: point)
            #expect(spectrum.route == route)
            #expect(abs(spectrum.spectralRadius - 2) < 1e-6)
            #expect(abs(spectrum.topEigenvalues[1].real - 0.5) < 1e-6)
            #expect(spectrum.topEigenvalues.count == 3)
            let vector = spectrum.leadingVector!
            #expect(abs(abs(vector.real[0]) - 1) < 1e-6 && vector.real.dropFirst().allSatisfy { abs($0) < 1e-6 })
        }
        // A rotation scaled by 0.9: eigenvalues ±0.9i.
        let rotation = linearAutoencoder([[0, -0.9], [0.9, 0]])
        let spectrum = try JacobianSpectrum(route: .lowRank, topCount: 2).spectrum(of: rotation, at: point)
        #expect(abs(spectrum.spectralRadius - 0.9) < 1e-6)
        #expect(abs(abs(spectrum.topEigenvalues[0].imaginary) - 0.9) < 1e-6 && abs(spectrum.topEigenvalues[0].real) < 1e-6)
    }

    @Test(arguments: ["relu", "tanh", "sigmoid"], [(12, 4, 1), (10, 3, 3), (16, 6, 2)])
    func lowRankAndFullRoutesAgree(activationName: String, shape: (input: Int, width: Int, depth: Int)) throws {
        let activation: any Activation = ["relu": ReLU(), "tanh": Tanh(), "sigmoid": Sigmoid()][activationName]!
        var layers: [any Layer] = []
        var names: [String] = []
        var size = shape.input
        for index in 0..<shape.depth {
            layers += [Dense(inputSize: size, units: shape.width, usesBias: true, kernelInitializer: Self.glorot, biasInitializer: Self.glorot),
                       ActivationLayer(typeName: activationName, activation: activation, inputShape: [shape.width])]
            names += ["dense_\(index + 1)", "\(activationName)_\(index + 1)"]
            size = shape.width
        }
        layers.append(Dense(inputSize: size, units: shape.input, usesBias: true, kernelInitializer: Self.glorot, biasInitializer: Self.glorot))
        names.append("dense_\(shape.depth + 1)")
        let network = Network(inputShape: [shape.input], layers: layers, layerNames: names)
        var rng = RandomGenerator(seed: UInt64(shape.input * 31 + shape.depth))
        network.initializeParameters(using: &rng)
        for _ in 0..<3 {
            let point = Tensor(shape: [shape.input]) { rng.fillUniform($0) }
            let low = try JacobianSpectrum(route: .lowRank).spectrum(of: network, at: point).spectralRadius
            let full = try JacobianSpectrum(route: .full).spectrum(of: network, at: point).spectralRadius
            #expect(abs(low - full) <= 1e-4 * max(full, 1e-3), "low-rank \(low) vs full \(full)")
        }
        #expect(JacobianSpectrum.bottleneck(of: network)?.width == shape.width)
    }

    @Test func contractionConvergesToItsFixedPoint() {
        // f(x) = x/2 + c has the fixed point 2c.
        let network = Network(inputShape: [3], layers: [dense(3, 3, kernel: [0.5, 0, 0, 0, 0.5, 0, 0, 0, 0.5], bias: [0.1, -0.2, 0.3])],
                              layerNames: ["dense_1"])
        let starts = Tensor(shape: [2, 3], scalars: [5, 5, 5, -1, 0, 2])
        let outcome = FixedPointIteration(tolerance: 1e-5).run(network, from: starts)
        #expect(outcome.converged == [true, true] && outcome.diverged == [false, false])
        for row in 0..<2 {
            for (index, expected) in [0.2, -0.4, 0.6].enumerated() {
                #expect(abs(Double(outcome.limits[row * 3 + index]) - expected) < 1e-4)
            }
        }
        // The distance halves each step: from ~8.7 to 1e-5 takes about 20 steps.
        #expect(outcome.iterations.allSatisfy { (18...24).contains($0) }, "\(outcome.iterations)")
    }

    @Test func pointsCapturedElsewhereOscillatingOrDivergingAreToldApart() {
        // Everything maps to p = (1, 1): p is fixed, q = (-1, 3) goes to p.
        let constant = Network(inputShape: [2], layers: [dense(2, 2, kernel: [0, 0, 0, 0], bias: [1, 1])], layerNames: ["dense_1"])
        let points = Tensor(shape: [2, 2], scalars: [1, 1, -1, 3])
        let captured = FixedPointIteration().run(constant, from: points, anchors: points, owners: [0, 1])
        #expect(captured.converged == [true, true])
        #expect(captured.limits.nearestRows(in: points).map(\.index) == [0, 0])

        // f(x) = -x never settles; it stays nearest its own start at even steps, so earns the extension.
        let flip = Network(inputShape: [2], layers: [dense(2, 2, kernel: [-1, 0, 0, -1])], layerNames: ["dense_1"])
        let oscillating = FixedPointIteration(budget: 10, extendedBudget: 30).run(flip, from: points, anchors: points, owners: [0, 1])
        #expect(oscillating.converged == [false, false] && oscillating.diverged == [false, false])
        #expect(oscillating.iterations == [30, 30])
        #expect(oscillating.notSettled == 2)

        // f(x) = 2x + 1 overflows to Inf: diverged, never converged.
        let growing = Network(inputShape: [2], layers: [dense(2, 2, kernel: [2, 0, 0, 2], bias: [1, 1])], layerNames: ["dense_1"])
        let diverging = FixedPointIteration().run(growing, from: points)
        #expect(diverging.diverged == [true, true] && diverging.converged == [false, false])
        #expect(diverging.iterations.allSatisfy { $0 < 200 })
    }
}
