import LabCore

/// `reconstructions`: the first training images and the network's output
/// for each; with a corruption (the training's by default, in a denoising
/// run), also the corrupted inputs and their reconstructions.
public struct ReconstructionsAnalysis: Analysis {
    public let typeName = "reconstructions"
    public var images: Int
    public var corruption: (any Corruption)?
    public var seed: UInt64

    public init(images: Int, corruption: (any Corruption)?, seed: UInt64) {
        self.images = images
        self.corruption = corruption
        self.seed = seed
    }

    public func run(network: Network, trainingPoints: Tensor) throws -> AnalysisResult {
        let clean = trainingPoints.gatherRows(Array(0..<min(images, trainingPoints.rows)))
        var rows = [clean, network(clean)]
        var rng = RandomGenerator(seed: seed)
        if let corruption {
            let corrupted = corruption.corrupt(clean, using: &rng)
            rows += [corrupted, network(corrupted)]
        }
        let error = { (output: Tensor) in output.rowDistances(to: clean).reduce(0, +) / Double(clean.rows) }
        let fromClean = error(rows[1]), fromCorrupted = rows.count > 2 ? error(rows[3]) : .nan
        var summary = [ConfigValue.Entry("images", .int(clean.rows)), ConfigValue.Entry("mean_distance_from_clean", .double(fromClean))]
        if corruption != nil { summary.append(ConfigValue.Entry("mean_distance_from_corrupted", .double(fromCorrupted))) }
        let caption = corruption == nil
            ? "Clean inputs and their reconstructions (rows). Mean distance to the clean image: " + String(format: "%.3g.", fromClean)
            : "Clean inputs, their reconstructions, corrupted inputs, their reconstructions (rows). Mean distance to the clean image: "
                + String(format: "%.3g from clean, %.3g from corrupted inputs.", fromClean, fromCorrupted)
        return AnalysisResult(
            summary: summary,
            arrays: [("strip", Tensor(shape: [rows.count, clean.rows, clean.columns], scalars: rows.flatMap(\.scalars)))],
            table: [["images", "mean distance to the clean image: from clean", "from corrupted"],
                    ["\(clean.rows)", String(format: "%.4g", fromClean), corruption == nil ? "-" : String(format: "%.4g", fromCorrupted)]],
            imageStrips: [ResultImageStrip(title: "Reconstructions", array: "strip", sampleShape: network.inputShape, caption: caption)])
    }
}

extension ReconstructionsAnalysis {
    static func register(in registry: inout Registry) {
        registry.analyses.register(
            "reconstructions", summary: "the first training images beside their reconstructions, clean and corrupted, for the report",
            parameters: [
                .integer("images", default: 8, range: .atLeast(1), doc: "training images pictured (the first ones)"),
                ParameterSpec("corruption", .module(kind: "corruption"), optional: true,
                              doc: "inputs corrupted this way too (default: the training's corruption, if any)"),
                .integer("seed", range: .nonNegative, optional: true, doc: "the corruption's seed (default: derived from the experiment's)"),
            ]
        ) { config, context in
            let corruption = config.node("corruption") != nil
                ? try config.module("corruption", from: context.registry.corruptions, context: context) : context.corruption
            return ReconstructionsAnalysis(images: try config.int("images"), corruption: corruption,
                                           seed: UInt64(try config.int("seed", default: Int(context.seed % (1 << 31)) + 11)))
        }
    }
}
