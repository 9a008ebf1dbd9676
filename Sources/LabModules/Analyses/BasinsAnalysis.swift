import Foundation
import LabCore

/// `basins`: for each noise level, adds Gaussian noise to every coordinate of
/// each training point (`trials` draws per point), iterates the network and
/// reports the fraction that returns to its own training point. Two rules
/// decide a return: `settled` iterates until a step moves at most a tolerance
/// and asks that the limit lie at the point (by a `ClosenessRule`), counting
/// arrivals at other training points apart; `fixed_steps` is the measure of
/// Jiang & Pehlevan and Radhakrishnan et al.: exactly `steps` iterations, and
/// a return when the mean squared difference to the point is below `returnMSE`.
public struct BasinsAnalysis: Analysis {
    public enum Rule: Sendable {
        case settled(FixedPointIteration, returned: ClosenessRule)
        case fixedSteps(Int, returnMSE: Double)
    }

    /// Noise per coordinate, as standard deviations or as variances (the papers' form).
    public enum NoiseLevels: Sendable {
        case standardDeviations([Double])
        case variances([Double])

        var name: String { if case .variances = self { "variance" } else { "std" } }
        var values: [Double] { switch self { case .standardDeviations(let values), .variances(let values): values } }
        var standardDeviations: [Double] { if case .variances(let values) = self { values.map { $0.squareRoot() } } else { values } }
    }

    /// What one noise level's starts did: which returned, and what the rule adds to the summary, table and arrays.
    struct LevelOutcome {
        var returned: [Bool]
        var entries: [ConfigValue.Entry]
        var columns: [String]
        var arrays: [(name: String, tensor: Tensor)]
    }

    public let typeName = "basins"
    public var noise: NoiseLevels
    public var trials: Int
    public var rule: Rule
    public var seed: UInt64

    public init(noise: NoiseLevels, trials: Int, rule: Rule, seed: UInt64) {
        (self.noise, self.trials, self.rule, self.seed) = (noise, trials, rule, seed)
    }

    public func run(network: Network, trainingPoints: Tensor) throws -> AnalysisResult {
        let count = trainingPoints.rows
        let owners = (0..<(count * trials)).map { $0 / trials }
        let clean = trainingPoints.gatherRows(owners)
        var rng = RandomGenerator(seed: seed)
        var summary: [ConfigValue.Entry] = [ConfigValue.Entry("points", .int(count)), ConfigValue.Entry("trials", .int(trials))]
        var arrays: [(name: String, tensor: Tensor)] = []
        var table = [["noise \(noise.name)", "returned"] + ruleHeader]
        var levels: [ConfigValue] = []
        let levelCount = noise.values.count
        var fractions: [Float] = [], returnsPerPoint = [Int](repeating: 0, count: count * levelCount)
        for (level, (value, sigma)) in zip(noise.values, noise.standardDeviations).enumerated() {
            var starts = clean
            starts.withUnsafeMutableBufferPointer { values in
                for index in values.indices { values[index] += Float(sigma) * rng.nextNormal() }
            }
            let outcome = outcome(network, from: starts, clean: clean, trainingPoints: trainingPoints, owners: owners, level: value)
            for (index, returned) in outcome.returned.enumerated() where returned { returnsPerPoint[owners[index] * levelCount + level] += 1 }
            let fraction = Double(outcome.returned.filter { $0 }.count) / Double(owners.count)
            fractions.append(Float(fraction))
            summary.append(ConfigValue.Entry("returned_fraction_\(noise.name)_\(Self.text(value))", .double(fraction)))
            levels.append(.map([ConfigValue.Entry(noise.name, .double(value)), ConfigValue.Entry("returned_fraction", .double(fraction))]
                + outcome.entries))
            arrays += outcome.arrays
            table.append([Self.text(value), String(format: "%.3f", fraction)] + outcome.columns)
        }
        summary.append(ConfigValue.Entry("levels", .list(levels)))
        let perPoint = returnsPerPoint.map { Float(Double($0) / Double(trials)) }
        arrays += [("noise_\(noise.name)", Tensor(shape: [levelCount], scalars: noise.values.map(Float.init))),
                   ("returned_fraction", Tensor(shape: [levelCount], scalars: fractions)),
                   ("returned_fraction_per_point", Tensor(shape: [count, levelCount], scalars: perPoint))]
        return AnalysisResult(summary: summary, arrays: arrays, table: table, charts: [chart])
    }

    var ruleHeader: [String] {
        switch rule {
        case .settled: ["to another point", "elsewhere"]
        case .fixedSteps(let steps, _): ["median MSE after \(steps) steps"]
        }
    }

    var chart: ResultChart {
        let returnText = switch rule {
        case .settled(_, let returned) where returned.mode == .relative:
            "settled at its point (within \(returned.tolerance) times the distance from it to the nearest other point)"
        case .settled(_, let returned): "settled at its point (within \(returned.tolerance))"
        case .fixedSteps(let steps, let returnMSE): "ended within MSE \(returnMSE) of its point after \(steps) steps"
        }
        return ResultChart(title: "Basins: returns under noise", kind: .line, array: "returned_fraction",
                           xLabel: "noise \(noise.name == "std" ? "standard deviation" : "variance") per coordinate", yLabel: "fraction returned",
                           caption: "Fraction of noisy starts (\(trials) per training point) whose iterate \(returnText).",
                           xArray: "noise_\(noise.name)", xScale: .log)
    }

    func outcome(_ network: Network, from starts: Tensor, clean: Tensor, trainingPoints: Tensor, owners: [Int], level: Double) -> LevelOutcome {
        switch rule {
        case .settled(let iteration, let returned):
            return settled(iteration.run(network, from: starts), returned: returned, trainingPoints: trainingPoints, owners: owners, level: level)
        case .fixedSteps(let steps, let returnMSE):
            return fixedSteps(network, steps: steps, returnMSE: returnMSE, from: starts, clean: clean, level: level)
        }
    }

    /// Returned: after exactly `steps` iterations, the mean squared difference to its own point is below `returnMSE`.
    func fixedSteps(_ network: Network, steps: Int, returnMSE: Double, from starts: Tensor, clean: Tensor, level: Double) -> LevelOutcome {
        // Tolerance 0: only a start that lands exactly on a fixed point stops early, where it would stay.
        let limits = FixedPointIteration(tolerance: 0, budget: steps, extendedBudget: steps).run(network, from: starts).limits
        let mse = limits.rowDistances(to: clean).map { $0 * $0 / Double(clean.columns) }
        let median = mse.map { $0.isNaN ? .infinity : $0 }.sorted()[mse.count / 2]
        return LevelOutcome(returned: mse.map { $0 < returnMSE }, entries: [ConfigValue.Entry("median_mse", .double(median))],
                            columns: [String(format: "%.3g", median)],
                            arrays: [("final_mse_\(noise.name)_\(Self.text(level))", Tensor(shape: [clean.rows / trials, trials], scalars: mse.map(Float.init)))])
    }

    /// Returned: settled within the rule's distance of its own point; arrivals at another point are counted apart.
    func settled(_ outcome: FixedPointIteration.Outcome, returned: ClosenessRule, trainingPoints: Tensor, owners: [Int], level: Double) -> LevelOutcome {
        let separations = trainingPoints.distancesToNearestOtherRow()
        let nearest = outcome.limits.nearestRows(in: trainingPoints)
        var destination = [Float](repeating: -1, count: owners.count)
        var home = [Bool](repeating: false, count: owners.count)
        var (other, elsewhere) = (0, 0)
        for index in owners.indices {
            let (target, distance) = nearest[index]
            let arrived = outcome.converged[index] && Double(distance) <= returned.threshold(forPoint: target, separations: separations)
            if arrived { destination[index] = Float(target) }
            if arrived && target == owners[index] { home[index] = true } else if arrived { other += 1 } else { elsewhere += 1 }
        }
        return LevelOutcome(returned: home,
                            entries: [ConfigValue.Entry("to_other_point", .int(other)), ConfigValue.Entry("elsewhere", .int(elsewhere))],
                            columns: ["\(other)", "\(elsewhere)"],
                            arrays: [("destination_\(noise.name)_\(Self.text(level))", Tensor(shape: [owners.count], scalars: destination))])
    }

    /// A level as summary keys and table cells show it: 10, 0.5, 1e-05.
    static func text(_ value: Double) -> String { String(format: "%g", value) }
}

extension BasinsAnalysis {
    static let settledKeys = ["tolerance", "return_mode", "return_tolerance"]
    static let fixedStepsKeys = ["return_mse"]

    static func register(in registry: inout Registry) {
        registry.analyses.register(
            "basins", summary: "fraction of noisy training points that iterate back to their own point",
            parameters: [
                .choice("rule", ["settled", "fixed_steps"], default: "settled",
                        doc: "settled: iterate until a step moves at most `tolerance`, returned by return_mode/return_tolerance; "
                            + "fixed_steps: exactly `steps` iterations, returned when the MSE to the point is below return_mse (the papers' measure)"),
                ParameterSpec("noise", .numbers, default: .list([.double(0.01), .double(0.05), .double(0.1)]), range: .positive,
                              doc: "noise standard deviations per coordinate, one experiment each"),
                ParameterSpec("noise_variances", .numbers, range: .positive, optional: true,
                              doc: "or noise variances per coordinate (instead of noise)"),
                .integer("trials", default: 1, range: .atLeast(1), doc: "noisy copies of each training point"),
                .integer("steps", default: 1000, range: .atLeast(1), doc: "settled: iterations at most; fixed_steps: iterations"),
                .number("tolerance", default: 5e-5, range: .positive, doc: "settled: settled when one step moves at most this far (L2)"),
                .number("return_mse", default: 1e-2, range: .positive,
                        doc: "fixed_steps: returned when the mean squared difference per coordinate to the point is below this"),
                .integer("seed", range: .nonNegative, optional: true, doc: "the noise's seed (default: derived from the experiment's)"),
            ] + ClosenessRule.parameters(prefix: "return", defaultMode: .relative,
                                         defaultTolerance: ClosenessRule.reproductionTolerance, about: "settled, a return")
        ) { config, context in
            let ruleName = try config.string("rule")
            let noise = try readNoise(config)
            let trials = try config.int("trials")
            let steps = try config.int("steps")
            let rule: Rule = ruleName == "settled"
                ? .settled(FixedPointIteration(tolerance: try config.double("tolerance"), budget: steps, extendedBudget: steps),
                           returned: try ClosenessRule.read(config, prefix: "return"))
                : .fixedSteps(steps, returnMSE: try config.double("return_mse"))
            let seed = try config.int("seed", default: Int(context.seed % (1 << 31)) + 1)
            let (ownKeys, otherKeys) = ruleName == "settled" ? (settledKeys, fixedStepsKeys) : (fixedStepsKeys, settledKeys)
            for key in otherKeys {
                if let node = config.node(key) {
                    throw node.error("\(key) applies to rule: \(ruleName == "settled" ? "fixed_steps" : "settled"), not to rule: \(ruleName)",
                                     allowed: "with rule: \(ruleName), " + ownKeys.joined(separator: ", "))
                }
            }
            return BasinsAnalysis(noise: noise, trials: trials, rule: rule, seed: UInt64(seed))
        }
    }

    /// `noise` (standard deviations) or `noise_variances`, not both.
    static func readNoise(_ config: ConfigReader) throws -> NoiseLevels {
        guard let variances = config.node("noise_variances") else { return .standardDeviations(try config.doubleList("noise")) }
        if config.node("noise") != nil {
            throw variances.error("give noise (standard deviations) or noise_variances, not both", allowed: "one of noise, noise_variances")
        }
        return .variances(try config.doubleList("noise_variances"))
    }
}
