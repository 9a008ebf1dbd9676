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
        let layer = Dense(inputSize: 3, units: 3, usesBias: true, kernelInitializer: Constant(0), biasInitializer: Constant(0))
        layer.kernel.value = Tensor(shape: [3, 3], scalars: [0.5, 0, 0, 0, 0.5, 0, 0, 0, 0.5])
        layer.bias!.value = Tensor(shape: [3], scalars: [0.1, 0.2, 0.3])
        let network = Network(inputShape: [3], layers: [layer], layerNames: ["dense_1"])
        let point = Tensor(shape: [1, 3], scalars: [0.2, 0.4, 0.6])
        let analysis = BasinsAnalysis(noise: [0.1, 1], samples: 20, iteration: FixedPointIteration(tolerance: 1e-6, budget: 200),
                                      returned: ClosenessRule(mode: .absolute, tolerance: 1e-4), seed: 3)
        let result = try analysis.run(network: network, trainingPoints: point)
        guard case .list(let levels)? = result.summary.first(where: { $0.key == "levels" })?.value else {
            Issue.record("no levels in \(result.summary)")
            return
        }
        #expect(levels.map { $0.value(at: "returned_fraction") } == [.double(1), .double(1)])
        #expect(result.arrays.map(\.tensor.count) == [20, 20])
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
