import LabCore

/// `fixed_points`: iterates the network from every training point and says
/// which became iterative fixed points (study's rule and strict rule), which
/// settled elsewhere, and which never settled or diverged.
public struct FixedPointsAnalysis: Analysis {
    public let typeName = "fixed_points"
    public var iteration: FixedPointIteration
    public var strict: ClosenessRule

    public init(iteration: FixedPointIteration, strict: ClosenessRule) {
        self.iteration = iteration
        self.strict = strict
    }

    public func run(network: Network, trainingPoints: Tensor) throws -> AnalysisResult {
        let count = trainingPoints.rows
        let outcome = iteration.run(network, from: trainingPoints, anchors: trainingPoints, owners: Array(0..<count))
        let classes = FixedPointClassification(outcome: outcome, trainingPoints: trainingPoints, strict: strict)
        let counts = FixedPointsAnalysis.counts(outcome: outcome, classes: classes)
        return AnalysisResult(
            summary: counts.map { ConfigValue.Entry($0.0, .int($0.1)) } + [
                ConfigValue.Entry("mean_iterations", .double(Double(outcome.iterations.reduce(0, +)) / Double(max(count, 1)))),
                ConfigValue.Entry("tolerance", .double(iteration.tolerance)),
                ConfigValue.Entry("budget", .int(iteration.budget)),
                ConfigValue.Entry("extended_budget", .int(iteration.extendedBudget)),
            ],
            arrays: Self.arrays(outcome: outcome, classes: classes),
            table: [["points", "converged", "did not converge", "diverged", "fixed (study)", "fixed (strict)"],
                    [count, counts[1].1, counts[2].1, counts[3].1, counts[4].1, counts[5].1].map(String.init)])
    }

    static func counts(outcome: FixedPointIteration.Outcome, classes: FixedPointClassification) -> [(String, Int)] {
        [("points", outcome.converged.count),
         ("converged", outcome.converged.filter { $0 }.count),
         ("did_not_converge", outcome.notSettled),
         ("diverged", outcome.diverged.filter { $0 }.count),
         ("fixed_points", classes.fixedPoint.filter { $0 }.count),
         ("strict_fixed_points", classes.strictFixedPoint.filter { $0 }.count)]
    }

    static func arrays(outcome: FixedPointIteration.Outcome, classes: FixedPointClassification) -> [(name: String, tensor: Tensor)] {
        func column(_ values: [Double]) -> Tensor { Tensor(shape: [values.count], scalars: values.map(Float.init)) }
        func flags(_ values: [Bool]) -> Tensor { column(values.map { $0 ? 1 : 0 }) }
        return [("limits", outcome.limits),
                ("converged", flags(outcome.converged)),
                ("diverged", flags(outcome.diverged)),
                ("iterations", column(outcome.iterations.map(Double.init))),
                ("distance_to_start", column(classes.distanceToStart)),
                ("nearest_index", column(classes.nearestIndex.map(Double.init))),
                ("fixed_point", flags(classes.fixedPoint)),
                ("strict_fixed_point", flags(classes.strictFixedPoint))]
    }

    static let iterationParameters: [ParameterSpec] = [
        .number("tolerance", default: 5e-5, range: .positive, doc: "settled when one step moves at most this far (L2)"),
        .integer("budget", default: 1000, range: .atLeast(1), doc: "iterations for every point"),
        .integer("extended_budget", default: 32000, range: .atLeast(1),
                 doc: "iterations for points still unsettled but nearest their own image"),
    ]
    static let strictParameters = ClosenessRule.parameters(prefix: "strict", defaultMode: .relative,
                                                           defaultTolerance: ClosenessRule.reproductionTolerance,
                                                           about: "strict fixed point")

    static func readIteration(_ config: ConfigReader) throws -> FixedPointIteration {
        let (tolerance, budget, extended) = (try config.double("tolerance"), try config.int("budget"), try config.int("extended_budget"))
        guard extended >= budget else {
            throw config.located("extended_budget").error("extended_budget (\(extended)) must be at least budget (\(budget))")
        }
        return FixedPointIteration(tolerance: tolerance, budget: budget, extendedBudget: extended)
    }

}

extension FixedPointsAnalysis {
    static func register(in registry: inout Registry) {
        registry.analyses.register("fixed_points", summary: "which training points became iterative fixed points",
                                   parameters: iterationParameters + strictParameters) { config, _ in
            FixedPointsAnalysis(iteration: try readIteration(config), strict: try ClosenessRule.read(config, prefix: "strict"))
        }
    }
}
