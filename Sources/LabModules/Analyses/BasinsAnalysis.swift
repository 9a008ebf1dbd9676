import LabCore

/// `basins`: for each noise size σ, adds N(0, σ²) noise to every coordinate of
/// each training point (`samples` draws per point), iterates at most `steps`
/// times, and reports the fraction that returns to its own training point
/// (by a `ClosenessRule`), how many land at another training point, and how
/// many end elsewhere (spurious attractors, or not settled).
public struct BasinsAnalysis: Analysis {
    public let typeName = "basins"
    public var noise: [Double]
    public var samples: Int
    public var iteration: FixedPointIteration
    public var returned: ClosenessRule
    public var seed: UInt64

    public init(noise: [Double], samples: Int, iteration: FixedPointIteration, returned: ClosenessRule, seed: UInt64) {
        self.noise = noise
        self.samples = samples
        self.iteration = iteration
        self.returned = returned
        self.seed = seed
    }

    public func run(network: Network, trainingPoints: Tensor) throws -> AnalysisResult {
        let count = trainingPoints.rows
        let separations = trainingPoints.distancesToNearestOtherRow()
        let owners = (0..<(count * samples)).map { $0 / samples }
        let clean = trainingPoints.gatherRows(owners)
        var rng = RandomGenerator(seed: seed)
        var summary: [ConfigValue.Entry] = [ConfigValue.Entry("points", .int(count)), ConfigValue.Entry("samples", .int(samples))]
        var arrays: [(name: String, tensor: Tensor)] = []
        var table = [["noise std", "returned", "to another point", "elsewhere"]]
        var levels: [ConfigValue] = []
        for sigma in noise {
            var starts = clean
            starts.withUnsafeMutableBufferPointer { values in
                for index in values.indices { values[index] += Float(sigma) * rng.nextNormal() }
            }
            let outcome = iteration.run(network, from: starts)
            let nearest = outcome.limits.nearestRows(in: trainingPoints)
            var destination = [Float](repeating: -1, count: owners.count)
            var (home, other, elsewhere) = (0, 0, 0)
            for index in owners.indices {
                let (target, distance) = nearest[index]
                let arrived = outcome.converged[index]
                    && Double(distance) <= returned.threshold(forPoint: target, separations: separations)
                if arrived && target == owners[index] {
                    home += 1
                    destination[index] = Float(target)
                } else if arrived {
                    other += 1
                    destination[index] = Float(target)
                } else {
                    elsewhere += 1
                }
            }
            let total = Double(owners.count)
            levels.append(.map([ConfigValue.Entry("std", .double(sigma)), ConfigValue.Entry("returned_fraction", .double(Double(home) / total)),
                                ConfigValue.Entry("to_other_point", .int(other)), ConfigValue.Entry("elsewhere", .int(elsewhere))]))
            arrays.append(("destination_std_\(sigma)", Tensor(shape: [owners.count], scalars: destination)))
            table.append([String(sigma), String(format: "%.3f", Double(home) / total), "\(other)", "\(elsewhere)"])
        }
        summary.append(ConfigValue.Entry("levels", .list(levels)))
        return AnalysisResult(summary: summary, arrays: arrays, table: table)
    }
}

extension BasinsAnalysis {
    static func register(in registry: inout Registry) {
        registry.analyses.register(
            "basins", summary: "fraction of noisy training points that iterate back to their own point",
            parameters: [
                ParameterSpec("noise", .numbers, default: .list([.double(0.01), .double(0.05), .double(0.1)]), range: .positive,
                              doc: "noise standard deviations, one experiment each"),
                .integer("samples", default: 1, range: .atLeast(1), doc: "noisy copies of each training point"),
                .integer("steps", default: 1000, range: .atLeast(1), doc: "iterations at most"),
                .number("tolerance", default: 5e-5, range: .positive, doc: "settled when one step moves at most this far (L2)"),
                .integer("seed", range: .nonNegative, optional: true, doc: "the noise's seed (default: derived from the experiment's)"),
            ] + ClosenessRule.parameters(prefix: "return", defaultMode: .relative,
                                         defaultTolerance: ClosenessRule.reproductionTolerance, about: "returned")
        ) { config, context in
            let noise = try config.doubleList("noise")
            let samples = try config.int("samples")
            let steps = try config.int("steps")
            let tolerance = try config.double("tolerance")
            let seed = try config.int("seed", default: Int(context.seed % (1 << 31)) + 1)
            return BasinsAnalysis(noise: noise, samples: samples,
                                  iteration: FixedPointIteration(tolerance: tolerance, budget: steps, extendedBudget: steps),
                                  returned: try ClosenessRule.read(config, prefix: "return"), seed: UInt64(seed))
        }
    }
}
