import LabCore

/// Registers the `recall` analysis. aelab calls this from its module catalog.
public enum RecallAnalysisPlugin {
    public static func register(in registry: inout Registry) {
        registry.analyses.register("recall", summary: "iterate from noise: which training points are recalled, how many inputs end spurious",
                                   parameters: [
            .integer("starts", default: 200, range: .atLeast(1), doc: "number of inputs to iterate from"),
            .choice("source", RecallFromNoise.Source.allCases.map(\.rawValue), default: "uniform",
                    doc: "uniform in [0, 1), or training points with Gaussian noise"),
            .number("noise", default: 0.1, range: .positive, doc: "corrupted: noise standard deviation"),
            .number("tolerance", default: 0.05, range: .positive,
                    doc: "recalled within this fraction of the point's distance to its nearest other point"),
            .integer("steps", default: 1000, range: .atLeast(1), doc: "iterations at most"),
            .integer("seed", range: .nonNegative, optional: true, doc: "seed of the inputs (default: derived from the experiment's)"),
        ]) { config, context in
            let steps = try config.int("steps")
            return RecallFromNoise(
                starts: try config.int("starts"), source: RecallFromNoise.Source(rawValue: try config.string("source"))!,
                noise: Float(try config.double("noise")), tolerance: try config.double("tolerance"),
                iteration: FixedPointIteration(budget: steps, extendedBudget: steps),
                seed: UInt64(try config.int("seed", default: Int(context.seed % (1 << 31)) + 7)))
        }
    }
}
