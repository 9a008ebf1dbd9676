import Foundation
import Testing
import LabCore
@testable import LabModules

/// The analyses on the memorisation study's architecture: Dense layers with a
/// ReLU after every one, the output included, with and without biases.
@Suite struct StudyArchitectureAnalysisTests {
    static let glorot = VarianceScaling(scale: 1, mode: .fanAverage, distribution: .uniform)

    func studyNetwork(input: Int, width: Int, depth: Int, bias: Bool, seed: UInt64) -> Network {
        var layers: [any Layer] = []
        var names: [String] = []
        var size = input
        for index in 0...depth {
            let units = index == depth ? input : width
            layers += [Dense(inputSize: size, units: units, usesBias: bias, kernelInitializer: Self.glorot, biasInitializer: Self.glorot),
                       ActivationLayer(typeName: "relu", activation: ReLU(), inputShape: [units])]
            names += ["dense_\(index + 1)", "relu_\(index + 1)"]
            size = units
        }
        let network = Network(inputShape: [input], layers: layers, layerNames: names)
        var rng = RandomGenerator(seed: seed)
        network.initializeParameters(using: &rng)
        return network
    }

    func dense(_ input: Int, _ output: Int, kernel: [Float], bias: [Float]? = nil) -> Dense {
        let layer = Dense(inputSize: input, units: output, usesBias: bias != nil, kernelInitializer: Self.glorot, biasInitializer: Constant(0))
        layer.kernel.value = Tensor(shape: [input, output], scalars: kernel)
        if let bias { layer.bias!.value = Tensor(shape: [output], scalars: bias) }
        return layer
    }

    @Test(arguments: [true, false], [1, 3])
    func lowRankAndFullRoutesAgreeWithAnOutputReLU(bias: Bool, depth: Int) throws {
        let network = studyNetwork(input: 14, width: 5, depth: depth, bias: bias, seed: UInt64(depth * 2 + (bias ? 1 : 0)))
        #expect(JacobianSpectrum.bottleneck(of: network)?.width == 5)
        var rng = RandomGenerator(seed: 99)
        let points = Tensor(shape: [4, 14]) { rng.fillUniform($0) }
        for kink: Float? in [nil, 0.5] {
            let low = try JacobianSpectrum(route: .lowRank, topCount: 3, derivativeAtKink: kink).spectra(of: network, at: points)
            let full = try JacobianSpectrum(route: .full, topCount: 3, derivativeAtKink: kink).spectra(of: network, at: points)
            for (l, f) in zip(low, full) {
                #expect(l.route == .lowRank && f.route == .full)
                #expect(abs(l.spectralRadius - f.spectralRadius) <= 1e-4 * max(f.spectralRadius, 1e-3), "low-rank \(l.spectralRadius) vs full \(f.spectralRadius)")
                let moduli = { (values: [(real: Double, imaginary: Double)]) in values.map { ($0.real * $0.real + $0.imaginary * $0.imaginary).squareRoot() } }
                // Moduli agree to float rounding of J's scale (the full route's zero eigenvalues come out near 1e-7).
                for (a, b) in zip(moduli(l.topEigenvalues), moduli(f.topEigenvalues)) { #expect(abs(a - b) <= 1e-4 * max(f.spectralRadius, 1e-2)) }
            }
        }
    }

    /// Without biases every pre-activation at x = 0 is exactly 0, where ReLU
    /// has its kink: J(0) = d² W1 W2 for ReLU'(0) = d, and W1 W2 = diag(2, 1, 0.5, 0).
    @Test func theJacobianUsesTheAnalysisConventionAtTheKink() throws {
        let w1: [Float] = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]           // 4 x 3: [I; 0]
        let w2: [Float] = [2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0.5, 0]          // 3 x 4: [diag(2, 1, 0.5) 0]
        let network = Network(inputShape: [4], layers: [
            dense(4, 3, kernel: w1), ActivationLayer(typeName: "relu", activation: ReLU(), inputShape: [3]),
            dense(3, 4, kernel: w2), ActivationLayer(typeName: "relu", activation: ReLU(), inputShape: [4]),
        ], layerNames: ["dense_1", "relu_1", "dense_2", "relu_2"])
        let origin = Tensor(zeros: [4])
        for route in [JacobianSpectrum.Route.lowRank, .full] {
            for (kink, radius) in [(Float?.none, 0.0), (0, 0), (0.5, 0.5), (1, 2)] as [(Float?, Double)] {
                let spectrum = try JacobianSpectrum(route: route, derivativeAtKink: kink).spectrum(of: network, at: origin)
                #expect(abs(spectrum.spectralRadius - radius) < 1e-6, "route \(route), ReLU'(0) = \(String(describing: kink))")
            }
        }
        // The analysis's convention leaves training's alone.
        #expect((network.layers[1] as! ActivationLayer).activation.derivative(input: 0, output: 0) == 0)
    }

    @Test func theAnalysesDefaultToTheStudysConventionAtTheKink() throws {
        let registry = BuiltinModules.registry
        for name in ["attractors", "jacobian_spectrum"] {
            let spec = registry.analyses.descriptions.first { $0.name == name }?.parameters.first { $0.name == "derivative_at_kink" }
            #expect(spec?.defaultValue == .double(0.5), "\(name)")
        }
    }

    func attractors(_ network: Network, _ points: [Float], budget: Int = 50) throws -> AnalysisResult {
        let analysis = AttractorsAnalysis(iteration: FixedPointIteration(tolerance: 1e-5, budget: budget, extendedBudget: 2 * budget),
                                          strict: ClosenessRule(mode: .relative, tolerance: 0.05),
                                          spectrum: JacobianSpectrum(route: .full), evaluation: .trainingPoint)
        return try analysis.run(network: network, trainingPoints: Tensor(shape: [points.count, 1], scalars: points))
    }

    func count(_ result: AnalysisResult, _ key: String) -> ConfigValue? { result.summary.first { $0.key == key }?.value }

    /// x -> -3 tanh(x) ends on a 2-cycle near ±2.985 from both starts, so
    /// neither converges; each lands in a "not fixed" cell by its radius
    /// 3 sech²(x): 2.97 at 0.1, 0.21 at 2.
    @Test func pointsThatNeverConvergeLandInANotFixedCellByTheirRadius() throws {
        let network = Network(inputShape: [1], layers: [
            dense(1, 1, kernel: [1]), ActivationLayer(typeName: "tanh", activation: Tanh(), inputShape: [1]), dense(1, 1, kernel: [-3]),
        ], layerNames: ["dense_1", "tanh_1", "dense_2"])
        let result = try attractors(network, [0.1, 2])
        let expected: [String: Int] = ["fixed_radius_below_1": 0, "fixed_radius_above_1": 0, "not_fixed_radius_below_1": 1,
                                       "not_fixed_radius_above_1": 1, "did_not_converge": 2, "diverged": 0, "radius_exactly_1": 0]
        for (key, value) in expected { #expect(count(result, key) == .int(value), "\(key)") }
        let radii = result.arrays.first { $0.name == "spectral_radius" }!.tensor
        #expect(abs(Double(radii[0]) - 3 * (1 - tanh(0.1) * tanh(0.1))) < 1e-5)
        #expect(abs(Double(radii[1]) - 3 * (1 - tanh(2.0) * tanh(2.0))) < 1e-5)
    }

    /// x -> 2x + 1 fixes -1 (radius 2: a fixed point, not an attractor) and
    /// sends 3 to infinity: not fixed, radius 2, with no nearest image (-1).
    @Test func aDivergedPointIsNotFixedAndHasNoNearestImage() throws {
        let network = Network(inputShape: [1], layers: [dense(1, 1, kernel: [2], bias: [1])], layerNames: ["dense_1"])
        let result = try attractors(network, [-1, 3], budget: 1000)
        let expected: [String: Int] = ["fixed_radius_above_1": 1, "not_fixed_radius_above_1": 1, "fixed_radius_below_1": 0,
                                       "not_fixed_radius_below_1": 0, "diverged": 1, "did_not_converge": 0, "attractors": 0]
        for (key, value) in expected { #expect(count(result, key) == .int(value), "\(key)") }
        let nearest = result.arrays.first { $0.name == "nearest_index" }!.tensor
        #expect(nearest.scalars == [0, -1])
    }

    /// x -> x/2 + c/2 draws every start to c. With images 0 and 10, a limit
    /// 1 from image 0 (10% of their distance, like a memorising net's) counts
    /// under the default strict rule; a limit 3 from it (30%, like a net that
    /// only lands near) counts by the study's rule alone.
    @Test func theDefaultStrictRuleSeparatesReproducingFromLandingNear() throws {
        let registry = BuiltinModules.registry
        let node = ConfigNode.synthesized(.map([.init("type", .string("attractors")), .init("route", .string("full"))]), keyPath: "analyses[0]")
        let analysis = try registry.analyses.build(node, context: BuildContext(registry: registry)).module
        for (limit, strict) in [(Float(1), 1), (3, 0)] {
            let network = Network(inputShape: [1], layers: [dense(1, 1, kernel: [0.5], bias: [limit / 2])], layerNames: ["dense_1"])
            let result = try analysis.run(network: network, trainingPoints: Tensor(shape: [2, 1], scalars: [0, 10]))
            #expect(count(result, "attractors") == .int(1), "limit \(limit)")
            #expect(count(result, "strict_attractors") == .int(strict), "limit \(limit)")
        }
    }
}
