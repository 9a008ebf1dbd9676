import LabCore

/// `attractors`: the study's four-way table. Every training point lands in
/// one cell: an iterative fixed point or not (a point whose iteration did not
/// converge, or diverged, is "not"), times J's spectral radius at the
/// training image below or above 1. An attractor is a fixed point with
/// radius < 1. Only radius exactly 1 (or no radius at all, when J is taken at
/// a diverged limit) stands outside the four; how many points did not
/// converge or diverged is counted beside the table. The strict fixed-point
/// rule's attractor count stands beside the study's.
///
/// `jacobian_at`: `training_point` (the study's choice) or `limit`, where
/// the iteration ended, the point whose stability the radius decides.
public struct AttractorsAnalysis: Analysis {
    public enum Evaluation: String, CaseIterable, Sendable { case trainingPoint = "training_point", limit }

    public let typeName = "attractors"
    public var iteration: FixedPointIteration
    public var strict: ClosenessRule
    public var spectrum: JacobianSpectrum
    public var evaluation: Evaluation

    public init(iteration: FixedPointIteration, strict: ClosenessRule, spectrum: JacobianSpectrum, evaluation: Evaluation) {
        self.iteration = iteration
        self.strict = strict
        self.spectrum = spectrum
        self.evaluation = evaluation
    }

    public struct Table: Sendable, Equatable {
        public var fixedBelow = 0, fixedAbove = 0, otherBelow = 0, otherAbove = 0
        public var radiusExactlyOne = 0, noRadius = 0
        public var notConverged = 0, diverged = 0
        public var strictAttractors = 0
    }

    public func run(network: Network, trainingPoints: Tensor) throws -> AnalysisResult {
        let count = trainingPoints.rows
        let outcome = iteration.run(network, from: trainingPoints, anchors: trainingPoints, owners: Array(0..<count))
        let classes = FixedPointClassification(outcome: outcome, trainingPoints: trainingPoints, strict: strict)
        let at = evaluation == .limit ? outcome.limits : trainingPoints
        // A diverged limit holds NaN or Inf: no Jacobian there.
        let settled = (0..<count).filter { evaluation == .trainingPoint || !outcome.diverged[$0] }
        var radii = [Double](repeating: .nan, count: count)
        for (index, result) in zip(settled, try spectrum.spectra(of: network, at: at.gatherRows(settled))) {
            radii[index] = result.spectralRadius
        }
        let table = Self.tabulate(converged: outcome.converged, diverged: outcome.diverged, fixed: classes.fixedPoint,
                                  strictFixed: classes.strictFixedPoint, radii: radii)
        var arrays = FixedPointsAnalysis.arrays(outcome: outcome, classes: classes)
        arrays.append(("spectral_radius", Tensor(shape: [count], scalars: radii.map(Float.init))))
        arrays.append(("attractor", Tensor(shape: [count], scalars: (0..<count).map { classes.fixedPoint[$0] && radii[$0] < 1 ? 1 : 0 })))
        return AnalysisResult(
            summary: [
                ConfigValue.Entry("points", .int(count)),
                ConfigValue.Entry("fixed_radius_below_1", .int(table.fixedBelow)),
                ConfigValue.Entry("fixed_radius_above_1", .int(table.fixedAbove)),
                ConfigValue.Entry("not_fixed_radius_below_1", .int(table.otherBelow)),
                ConfigValue.Entry("not_fixed_radius_above_1", .int(table.otherAbove)),
                ConfigValue.Entry("radius_exactly_1", .int(table.radiusExactlyOne)),
                ConfigValue.Entry("no_radius", .int(table.noRadius)),
                ConfigValue.Entry("did_not_converge", .int(table.notConverged)),
                ConfigValue.Entry("diverged", .int(table.diverged)),
                ConfigValue.Entry("attractors", .int(table.fixedBelow)),
                ConfigValue.Entry("strict_attractors", .int(table.strictAttractors)),
                ConfigValue.Entry("jacobian_at", .string(evaluation.rawValue)),
                ConfigValue.Entry("per_point", .list((0..<count).map { index in
                    .map([ConfigValue.Entry("index", .int(index)),
                          ConfigValue.Entry("converged", .bool(outcome.converged[index])),
                          ConfigValue.Entry("diverged", .bool(outcome.diverged[index])),
                          ConfigValue.Entry("iterations", .int(outcome.iterations[index])),
                          ConfigValue.Entry("distance_to_start", .double(classes.distanceToStart[index])),
                          ConfigValue.Entry("nearest_index", .int(classes.nearestIndex[index])),
                          ConfigValue.Entry("fixed_point", .bool(classes.fixedPoint[index])),
                          ConfigValue.Entry("strict_fixed_point", .bool(classes.strictFixedPoint[index])),
                          ConfigValue.Entry("spectral_radius", .double(radii[index])),
                          ConfigValue.Entry("attractor", .bool(classes.fixedPoint[index] && radii[index] < 1))])
                })),
            ],
            arrays: arrays,
            table: [["", "radius < 1", "radius > 1"],
                    ["fixed point", "\(table.fixedBelow)", "\(table.fixedAbove)"],
                    ["not fixed", "\(table.otherBelow)", "\(table.otherAbove)"],
                    ["of the points", "did not converge: \(table.notConverged)", "diverged: \(table.diverged)"],
                    ["apart", "radius = 1: \(table.radiusExactlyOne)", "no radius: \(table.noRadius)"],
                    ["attractors", "study: \(table.fixedBelow)", "strict: \(table.strictAttractors)"]],
            charts: SpectrumCharts.radii)
    }

    static func tabulate(converged: [Bool], diverged: [Bool], fixed: [Bool], strictFixed: [Bool], radii: [Double]) -> Table {
        var table = Table()
        for index in converged.indices {
            if diverged[index] { table.diverged += 1 } else if !converged[index] { table.notConverged += 1 }
            let radius = radii[index]
            if !radius.isFinite {
                table.noRadius += 1
            } else if radius == 1 {
                table.radiusExactlyOne += 1
            } else if fixed[index] {
                if radius < 1 { table.fixedBelow += 1 } else { table.fixedAbove += 1 }
            } else {
                if radius < 1 { table.otherBelow += 1 } else { table.otherAbove += 1 }
            }
            if strictFixed[index] && radius < 1 { table.strictAttractors += 1 }
        }
        return table
    }
}

extension AttractorsAnalysis {
    static func register(in registry: inout Registry) {
        registry.analyses.register(
            "attractors", summary: "four-way table: fixed point or not x spectral radius below or above 1",
            parameters: FixedPointsAnalysis.iterationParameters + FixedPointsAnalysis.strictParameters + [
                JacobianSpectrumAnalysis.routeParameter,
                JacobianSpectrumAnalysis.kinkParameter,
                .choice("jacobian_at", Evaluation.allCases.map(\.rawValue), default: Evaluation.trainingPoint.rawValue,
                        doc: "where J is evaluated: the training image (the study's choice) or the iteration's limit"),
            ]
        ) { config, _ in
            AttractorsAnalysis(iteration: try FixedPointsAnalysis.readIteration(config),
                               strict: try ClosenessRule.read(config, prefix: "strict"),
                               spectrum: try JacobianSpectrumAnalysis.readSpectrum(config),
                               evaluation: Evaluation(rawValue: try config.string("jacobian_at"))!)
        }
    }
}
