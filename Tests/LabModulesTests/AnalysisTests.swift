import Foundation
import Testing
import LabCore
@testable import LabModules

@Suite struct AnalysisTests {
    /// Two training points 10 apart; p0's iterate ends 0.5 (or 2.0) away, p1's lands next to p0.
    @Test func studyRuleIsLooseAndStrictRuleIsNot() {
        let points = Tensor(shape: [2, 2], scalars: [0, 0, 10, 0])
        func classify(_ offset: Float) -> FixedPointClassification {
            let outcome = FixedPointIteration.Outcome(limits: Tensor(shape: [2, 2], scalars: [offset, 0, 1, 0]),
                                                      converged: [true, true], diverged: [false, false], iterations: [3, 3])
            return FixedPointClassification(outcome: outcome, trainingPoints: points, strict: ClosenessRule(mode: .relative, tolerance: 0.05))
        }
        let near = classify(0.5)
        #expect(near.fixedPoint == [true, false])
        #expect(near.strictFixedPoint == [true, false])
        #expect(near.nearestIndex == [0, 0])
        #expect(abs(near.distanceToStart[1] - 9) < 1e-6)
        let loose = classify(2)
        #expect(loose.fixedPoint == [true, false])     // the study's rule still counts it
        #expect(loose.strictFixedPoint == [false, false])
        #expect(points.distancesToNearestOtherRow() == [10, 10])
    }

    /// Every point lands in one of the four cells, whether its iteration
    /// converged or not; only radius exactly 1 (and no radius) stands apart.
    @Test func fourWayTablePutsEveryPointInACellByItsRadius() {
        let table = AttractorsAnalysis.tabulate(
            converged: [true, true, true, true, true, false, true, false, false],
            diverged: [false, false, false, false, false, false, false, true, false],
            fixed: [true, true, false, false, true, false, true, false, false],
            strictFixed: [true, false, false, false, true, false, false, false, false],
            radii: [0.5, 1.5, 0.2, 3, 1, 0.1, 0.9, 2.5, .nan])
        #expect(table == AttractorsAnalysis.Table(fixedBelow: 2, fixedAbove: 1, otherBelow: 2, otherAbove: 2,
                                                  radiusExactlyOne: 1, noRadius: 1, notConverged: 2, diverged: 1,
                                                  strictAttractors: 1))
    }

    /// f(x) = x/2 + c: every start returns to the single fixed point 2c.
    @Test func basinsOfAContractionHoldEveryNoisyStart() throws {
        let network = Self.halfway(to: [0.2, 0.4, 0.6])
        let point = Tensor(shape: [1, 3], scalars: [0.2, 0.4, 0.6])
        let analysis = BasinsAnalysis(noise: .standardDeviations([0.1, 1]), trials: 20,
                                      rule: .settled(FixedPointIteration(tolerance: 1e-6, budget: 200), returned: ClosenessRule(mode: .absolute, tolerance: 1e-4)),
                                      seed: 3)
        let result = try analysis.run(network: network, trainingPoints: point)
        guard case .list(let levels)? = result.summary.first(where: { $0.key == "levels" })?.value else {
            Issue.record("no levels in \(result.summary)")
            return
        }
        #expect(levels.map { $0.value(at: "returned_fraction") } == [.double(1), .double(1)])
        #expect(result.summary.first { $0.key == "returned_fraction_std_0.1" }?.value == .double(1))
        #expect(result.arrays.filter { $0.name.hasPrefix("destination_std_") }.map(\.tensor.count) == [20, 20])
    }

    /// f(x) = x/2 + x*/2, one dense layer with weight I/2 and bias x*/2: after
    /// k steps a start x* + e sits at x* + e/2^k, so it returns when
    /// |e|² < d · return_mse · 4^k. For d = 2, |e|²/v is chi-squared with 2
    /// degrees of freedom: the fraction is 1 - exp(-d · return_mse · 4^k / 2v).
    @Test func fixedStepsBasinsOfAContractionFollowTheChiSquaredLaw() throws {
        let center: [Float] = [3, -1]
        let network = Self.halfway(to: center)
        let points = Tensor(shape: [2, 2], scalars: center + [5, 5])  // the second point is no fixed point: f moves it halfway to x*
        let variances = [0.5, 1, 4]
        let analysis = BasinsAnalysis(noise: .variances(variances), trials: 4000, rule: .fixedSteps(3, returnMSE: 1e-2), seed: 11)
        let result = try analysis.run(network: network, trainingPoints: points)
        let perPoint = try #require(result.arrays.first { $0.name == "returned_fraction_per_point" }?.tensor)
        #expect(perPoint.shape == [2, 3])
        for (level, variance) in variances.enumerated() {
            let expected = 1 - exp(-2 * 1e-2 * 64 / (2 * variance))
            #expect(abs(Double(perPoint[level]) - expected) < 0.03, "variance \(variance): \(perPoint[level]) against \(expected)")
            #expect(perPoint[3 + level] == 0, "(5, 5) ends near x*, 6 or more away")
            let overall = result.summary.first { $0.key == "returned_fraction_variance_\(BasinsAnalysis.text(variance))" }?.value.doubleValue
            #expect(overall.map { abs($0 - Double(perPoint[level]) / 2) < 1e-6 } == true)
        }
        #expect(result.arrays.first { $0.name == "noise_variance" }?.tensor.scalars == variances.map(Float.init))
        #expect(result.arrays.first { $0.name == "final_mse_variance_4" }?.tensor.shape == [2, 4000])
        #expect(result.table.map(\.count) == [3, 3, 3, 3] && result.table[0][0] == "noise variance")
        let chart = try #require(result.charts.first)
        #expect(chart.array == "returned_fraction" && chart.xArray == "noise_variance")
        // The same seed draws the same noise.
        #expect(try analysis.run(network: network, trainingPoints: points).summary == result.summary)
    }

    /// The identity returns exactly the starts whose noise has MSE below the
    /// threshold; a map that doubles its input never brings one back.
    @Test func fixedStepsBasinsOfTheIdentityAndOfAnExpansion() throws {
        let point = Tensor(shape: [1, 4], scalars: [1, 2, 3, 4])
        let tiny = BasinsAnalysis(noise: .variances([1e-6]), trials: 50, rule: .fixedSteps(50, returnMSE: 1e-2), seed: 2)
        #expect(try tiny.run(network: Self.scaling(1, size: 4), trainingPoints: point).summary
            .first { $0.key == "returned_fraction_variance_1e-06" }?.value == .double(1))
        let expansion = try tiny.run(network: Self.scaling(2, size: 4), trainingPoints: point)
        #expect(expansion.summary.first { $0.key == "returned_fraction_variance_1e-06" }?.value == .double(0))
        let mse = try #require(expansion.arrays.first { $0.name == "final_mse_variance_1e-06" }?.tensor)
        #expect(mse.scalars.allSatisfy { !($0 < 1e-2) }, "2^50 times the point is far, or overflowed")
        // The identity at variance 0.01 in 4 dims: returned when |e|² < 4 · 0.01, i.e. chi-squared(4) < t = 4,
        // of probability 1 - e^(-t/2) (1 + t/2).
        let wide = BasinsAnalysis(noise: .variances([0.01]), trials: 5000, rule: .fixedSteps(5, returnMSE: 1e-2), seed: 7)
        let fraction = try #require(try wide.run(network: Self.scaling(1, size: 4), trainingPoints: point).summary
            .first { $0.key == "returned_fraction_variance_0.01" }?.value.doubleValue)
        #expect(abs(fraction - (1 - exp(-2) * 3)) < 0.03, "\(fraction)")
    }

    @Test func basinsKeysOfTheOtherRuleAreRefused() throws {
        let registry = BuiltinModules.registry
        let context = BuildContext(registry: registry, baseDirectory: ".")
        func build(_ parameters: ConfigValue) throws {
            _ = try registry.analyses.build(.synthesized(parameters, keyPath: "analyses[0]"), context: context)
        }
        let wrongKey = #expect(throws: ConfigError.self) {
            try build(.map([.init("type", .string("basins")), .init("rule", .string("fixed_steps")), .init("tolerance", .double(1e-3))]))
        }
        #expect(wrongKey?.description.contains("tolerance applies to rule: settled") == true)
        let both = #expect(throws: ConfigError.self) {
            try build(.map([.init("type", .string("basins")), .init("noise", .list([.double(1)])), .init("noise_variances", .list([.double(1)]))]))
        }
        #expect(both?.description.contains("not both") == true)
        try build(.map([.init("type", .string("basins")), .init("rule", .string("fixed_steps")), .init("noise_variances", .list([.double(1)])),
                        .init("trials", .int(3)), .init("steps", .int(50)), .init("return_mse", .double(1e-2))]))
    }

    /// One dense layer x -> s x.
    static func scaling(_ factor: Float, size: Int) -> Network {
        let layer = Dense(inputSize: size, units: size, usesBias: false, kernelInitializer: Constant(0), biasInitializer: Constant(0))
        layer.kernel.value = Tensor(shape: [size, size], scalars: (0..<(size * size)).map { $0 % (size + 1) == 0 ? factor : 0 })
        return Network(inputShape: [size], layers: [layer], layerNames: ["dense_1"])
    }

    /// One dense layer x -> x/2 + x*/2, whose one fixed point is x*.
    static func halfway(to center: [Float]) -> Network {
        let size = center.count
        let layer = Dense(inputSize: size, units: size, usesBias: true, kernelInitializer: Constant(0), biasInitializer: Constant(0))
        layer.kernel.value = Tensor(shape: [size, size], scalars: (0..<(size * size)).map { $0 % (size + 1) == 0 ? 0.5 : 0 })
        layer.bias!.value = Tensor(shape: [size], scalars: center.map { $0 / 2 })
        return Network(inputShape: [size], layers: [layer], layerNames: ["dense_1"])
    }

    @Test func attractorsAnalysisOnAContraction() throws {
        let layer = Dense(inputSize: 2, units: 2, usesBias: true, kernelInitializer: Constant(0), biasInitializer: Constant(0))
        layer.kernel.value = Tensor(shape: [2, 2], scalars: [0.5, 0, 0, 0.25])
        layer.bias!.value = Tensor(shape: [2], scalars: [1, 0.75])
        let network = Network(inputShape: [2], layers: [layer], layerNames: ["dense_1"])
        // (2, 1) is f's fixed point; (9, 9) iterates to it as well, so is not one.
        let points = Tensor(shape: [2, 2], scalars: [2, 1, 9, 9])
        let analysis = AttractorsAnalysis(iteration: FixedPointIteration(tolerance: 1e-6), strict: ClosenessRule(mode: .relative, tolerance: 0.05),
                                          spectrum: JacobianSpectrum(route: .full), evaluation: .trainingPoint)
        let result = try analysis.run(network: network, trainingPoints: points)
        #expect(result.summary.first { $0.key == "attractors" }?.value == .int(1))
        #expect(result.summary.first { $0.key == "not_fixed_radius_below_1" }?.value == .int(1))
        let radii = result.arrays.first { $0.name == "spectral_radius" }!.tensor
        #expect(abs(radii[0] - 0.5) < 1e-6 && abs(radii[1] - 0.5) < 1e-6)
    }
}
