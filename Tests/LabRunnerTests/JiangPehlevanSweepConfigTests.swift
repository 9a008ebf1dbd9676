import Foundation
import LabCore
import LabModules
import Testing

@testable import LabRunner

/// The sweeps that reproduce Jiang & Pehlevan's experiments, each resolved
/// and composed at its grid's corners: the points' dimension, count and
/// norm, the net's depth, width and activation with a linear output,
/// the NTK parameterisation, full-batch SGD at the protocol's rate until 1e-7, the
/// analyses' options and the report's plots.
@Suite struct JiangPehlevanSweepConfigTests {
    static func plan(_ file: String) throws -> SweepPlan {
        try SweepPlan(configFile: ShippedConfigTests.configsFolder + "/jiang-pehlevan/" + file)
    }

    /// The grid's values per key, in the order the points list them.
    static func values(_ plan: SweepPlan, _ key: String) -> [String] {
        let index = plan.gridKeys.firstIndex(of: key)!
        var seen: [String] = []
        for point in plan.points where !seen.contains(point.coordinates[index].value) { seen.append(point.coordinates[index].value) }
        return seen
    }

    /// The points whose values are each at an end of their key's range (every corner of the grid), first repeat.
    static func corners(_ plan: SweepPlan) -> [SweepPoint] {
        let ends = plan.gridKeys.map { key in Set([values(plan, key).first!, values(plan, key).last!]) }
        return plan.points.filter { point in
            point.repeatIndex == 0 && point.coordinates.enumerated().allSatisfy { ends[$0.offset].contains($0.element.value) }
        }
    }

    static func value(_ point: SweepPoint, _ key: String) -> String { point.coordinates.first { $0.keyPath == key }!.value }

    /// Composes the point and checks what every experiment of the study shares.
    static func compose(_ point: SweepPoint, of plan: SweepPlan, count: Int, dimension: Int, radius: Double, width: Int, depth: Int,
                        activation: String, learningRate: Float, cap: Int) throws -> Experiment {
        let experiment = try ExperimentBuilder(registry: BuiltinModules.registry).experiment(point: point, of: plan)
        let samples = experiment.dataset.allSamples()
        #expect(samples.shape == [count, dimension], "\(point.label)")
        for row in 0..<count {
            let norm = samples.scalars[(row * dimension)..<((row + 1) * dimension)].reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(abs(norm - radius) < 1e-4 * radius, "\(point.label)")
        }
        let layers = experiment.network.layers
        #expect(layers.map(\.typeName) == Array(repeating: ["dense", activation], count: depth).flatMap { $0 } + ["dense"], "\(point.label)")
        let dense = layers.compactMap { $0 as? Dense }
        #expect(dense.map(\.units) == Array(repeating: width, count: depth) + [dimension], "\(point.label)")
        // The NTK parameterisation with sigma_w^2 = 2 and beta = 0.1 over unit Gaussian weights and biases.
        for (layer, fanIn) in zip(dense, [dimension] + Array(repeating: width, count: depth)) {
            #expect(layer.parameterization == .ntk(inputSize: fanIn, weightScale: 2.0.squareRoot(), biasScale: 0.1), "\(point.label)")
            let kernel = layer.kernel.value.scalars.map(Double.init)
            let mean = kernel.reduce(0, +) / Double(kernel.count)
            let variance = kernel.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(kernel.count)
            #expect(abs(mean) < 0.1 && abs(variance - 1) < 0.2, "\(point.label): kernel mean \(mean), variance \(variance)")
            #expect(try #require(layer.bias).value.scalars.contains { abs($0) > 0.3 }, "\(point.label)")
        }
        let sgd = try #require(experiment.optimizer as? StochasticGradientDescent)
        #expect(sgd.learningRate == learningRate && sgd.momentum == 0, "\(point.label)")
        #expect(experiment.loss is MeanSquaredError)
        #expect(experiment.training.batchesPerEpoch(sampleCount: count) == 1 && experiment.training.stopLossBelow == 1e-7)
        #expect(experiment.training.epochs == cap && !experiment.training.shuffle)
        return experiment
    }

    static func spectrum(_ experiment: Experiment) throws -> JacobianSpectrumAnalysis {
        let spectrum = try #require(experiment.analyses.compactMap { $0 as? JacobianSpectrumAnalysis }.first)
        #expect(spectrum.spectrum.route == .full)
        return spectrum
    }

    static func plots(_ plan: SweepPlan) -> [String] { plan.plots.map { "\($0.y) ~ \($0.x) / \($0.lines ?? "-")" } }

    @Test func onePointAgainstNormPerDepth() throws {
        let plan = try Self.plan("one-point-depth.yaml")
        #expect(plan.gridKeys == ["data.radius", "model.mlp.depth"] && plan.repeats == 3)
        #expect(Self.values(plan, "data.radius") == (1...30).map(String.init) && Self.values(plan, "model.mlp.depth") == ["1", "2", "3"])
        #expect(Self.plots(plan) == ["jacobian_spectrum.radius_max ~ data.radius / model.mlp.depth",
                                     "jacobian_spectrum.radius_initial_max ~ data.radius / model.mlp.depth"])
        let corners = Self.corners(plan)
        #expect(corners.count == 4)
        for point in corners {
            let experiment = try Self.compose(point, of: plan, count: 1, dimension: 32, radius: Double(Self.value(point, "data.radius"))!,
                                              width: 1000, depth: Int(Self.value(point, "model.mlp.depth"))!,
                                              activation: "sigmoid", learningRate: 1, cap: 200_000)
            #expect(try Self.spectrum(experiment).comparesInitialWeights)
        }
    }

    @Test func moduliDistributionPerCount() throws {
        let plan = try Self.plan("moduli-points.yaml")
        #expect(plan.gridKeys == ["data.count"] && plan.repeats == 5 && Self.values(plan, "data.count") == ["2", "5", "8"])
        #expect(Self.plots(plan) == ["jacobian_spectrum.near_one_mean ~ data.count / -", "jacobian_spectrum.near_one_initial_mean ~ data.count / -"])
        for point in Self.corners(plan) + plan.points.filter({ Self.value($0, "data.count") == "5" && $0.repeatIndex == 0 }) {
            let experiment = try Self.compose(point, of: plan, count: Int(Self.value(point, "data.count"))!, dimension: 10, radius: 1,
                                              width: 1000, depth: 1, activation: "sigmoid", learningRate: 3, cap: 200_000)
            let spectrum = try Self.spectrum(experiment)
            #expect(spectrum.keepModuli && spectrum.band == 0.1 && spectrum.comparesInitialWeights)
        }
    }

    @Test(arguments: [("norm-points-width.yaml", ["3", "8", "13", "18", "23", "28", "33", "38", "43", "48", "52"], 3, 100_000),
                      ("norm-points-width-reduced.yaml", ["3", "27", "52"], 1, 100_000)])
    func largestModulusAgainstNormPerWidth(file: String, norms: [String], repeats: Int, cap: Int) throws {
        let plan = try Self.plan(file)
        #expect(plan.gridKeys == ["data.count", "data.radius", "model.mlp.width"] && plan.repeats == repeats)
        #expect(Self.values(plan, "data.count") == ["2", "5", "10"] && Self.values(plan, "data.radius") == norms)
        #expect(Self.values(plan, "model.mlp.width") == ["1000", "10000"])
        #expect(Self.plots(plan) == ["jacobian_spectrum.radius_max ~ data.radius / model.mlp.width",
                                     "jacobian_spectrum.radius_initial_max ~ data.radius / model.mlp.width"])
        let corners = Self.corners(plan)
        #expect(corners.count == 8)
        for point in corners {
            let experiment = try Self.compose(point, of: plan, count: Int(Self.value(point, "data.count"))!, dimension: 32,
                                              radius: Double(Self.value(point, "data.radius"))!, width: Int(Self.value(point, "model.mlp.width"))!,
                                              depth: 1, activation: "sigmoid", learningRate: 5, cap: cap)
            #expect(try Self.spectrum(experiment).comparesInitialWeights)
        }
    }

    @Test(arguments: [("basins-norm.yaml", ["5", "10", "15", "20", "25", "30", "35", "40", "45", "50"], 3, 100_000),
                      ("basins-norm-reduced.yaml", ["5", "25", "50"], 1, 100_000)])
    func basinsAgainstNormPerVariance(file: String, norms: [String], repeats: Int, cap: Int) throws {
        let plan = try Self.plan(file)
        #expect(plan.gridKeys == ["data.radius"] && plan.repeats == repeats && Self.values(plan, "data.radius") == norms)
        #expect(Self.plots(plan) == ["basins.returned_fraction_variance_1 ~ data.radius / -", "basins.returned_fraction_variance_10 ~ data.radius / -",
                                     "basins.returned_fraction_variance_20 ~ data.radius / -", "jacobian_spectrum.radius_max ~ data.radius / -"])
        for point in Self.corners(plan) {
            let experiment = try Self.compose(point, of: plan, count: 5, dimension: 32, radius: Double(Self.value(point, "data.radius"))!,
                                              width: 10000, depth: 1, activation: "sigmoid", learningRate: 5, cap: cap)
            _ = try Self.spectrum(experiment)
            let basins = try #require(experiment.analyses.compactMap { $0 as? BasinsAnalysis }.first)
            guard case .fixedSteps(let steps, let returnMSE) = basins.rule, case .variances(let variances) = basins.noise else {
                Issue.record("basins is not the papers' rule: \(basins.rule), \(basins.noise)")
                continue
            }
            #expect(steps == 50 && returnMSE == 1e-2 && variances == [1, 10, 20] && basins.trials == 100)
        }
    }

    @Test(arguments: [("activations-norm.yaml", ["2", "5", "10", "15", "20", "25", "30", "35", "40", "45", "50"], 3, 100_000),
                      ("activations-norm-reduced.yaml", ["2", "26", "50"], 1, 100_000)])
    func largestModulusAgainstNormPerActivation(file: String, norms: [String], repeats: Int, cap: Int) throws {
        let plan = try Self.plan(file)
        #expect(plan.gridKeys == ["data.radius", "model.mlp.activation"] && plan.repeats == repeats)
        #expect(Self.values(plan, "data.radius") == norms && Self.values(plan, "model.mlp.activation") == ["sigmoid", "tanh", "erf"])
        #expect(Self.plots(plan) == ["jacobian_spectrum.radius_max ~ data.radius / model.mlp.activation",
                                     "jacobian_spectrum.radius_initial_max ~ data.radius / model.mlp.activation"])
        let activations = plan.points.filter { $0.repeatIndex == 0 && ["2", "50"].contains(Self.value($0, "data.radius")) }
        #expect(activations.count == 6)
        for point in activations {
            let experiment = try Self.compose(point, of: plan, count: 20, dimension: 32, radius: Double(Self.value(point, "data.radius"))!,
                                              width: 10000, depth: 1, activation: Self.value(point, "model.mlp.activation"), learningRate: 5, cap: cap)
            #expect(try Self.spectrum(experiment).comparesInitialWeights)
        }
    }
}
