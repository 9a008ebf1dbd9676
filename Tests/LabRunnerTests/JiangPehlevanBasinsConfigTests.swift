import Foundation
import LabCore
import LabModules
import Testing

@testable import LabRunner

/// Configs/jiang-pehlevan/basins-small.yaml, composed point by point: points
/// of the swept norm in 32 dimensions, a one-hidden-layer sigmoid net of the
/// swept width with a linear output, plain SGD, the papers' basins and the
/// plots against the norm.
@Suite struct JiangPehlevanBasinsConfigTests {
    @Test func everyPointHasItsNormWidthAndThePapersBasins() throws {
        let plan = try SweepPlan(configFile: ShippedConfigTests.configsFolder + "/jiang-pehlevan/basins-small.yaml")
        #expect(plan.gridKeys == ["data.radius", "model.mlp.width"] && plan.repeats == 3 && plan.points.count == 12)
        #expect(plan.plots.map(\.y) == ["jacobian_spectrum.radius_max", "basins.returned_fraction_variance_1"])
        #expect(plan.plots.allSatisfy { $0.x == "data.radius" && $0.lines == "model.mlp.width" })
        for point in plan.points.filter({ $0.repeatIndex == 0 }) {
            let experiment = try ExperimentBuilder(registry: BuiltinModules.registry).experiment(point: point, of: plan)
            let radius = Double(point.coordinates[0].value)!, width = Int(point.coordinates[1].value)!
            let samples = experiment.dataset.allSamples()
            #expect(samples.shape == [8, 32])
            for row in 0..<8 {
                let norm = samples.scalars[(row * 32)..<((row + 1) * 32)].reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
                #expect(abs(norm - radius) < 1e-4 * radius, "\(point.label)")
            }
            #expect(experiment.network.layerNames == ["dense_1", "sigmoid_1", "dense_2"] && experiment.network.layers[0].outputShape == [width])
            #expect(experiment.optimizer is StochasticGradientDescent && experiment.training.batchSize == 8)
            let basins = try #require(experiment.analyses.compactMap { $0 as? BasinsAnalysis }.first)
            guard case .fixedSteps(let steps, let returnMSE) = basins.rule, case .variances(let variances) = basins.noise else {
                Issue.record("basins is not the papers' rule: \(basins.rule), \(basins.noise)")
                continue
            }
            #expect(steps == 50 && returnMSE == 1e-2 && variances == [0.1, 1, 10] && basins.trials == 50)
        }
    }
}
