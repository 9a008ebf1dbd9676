import Foundation
import LabCore

/// `latent_codes`: the activations of one layer (the bottleneck) for the
/// first points of the training data or of a dataset of its own, kept in
/// results.h5 with the points' labels. The report draws a 2-D code as a
/// map coloured by label beside the decoder's images on a grid of codes
/// spanning the codes' range, and a 3-D code, normalised onto the unit
/// sphere, as a map of its two angles. With a corruption, the codes of the
/// corrupted inputs too, and how far each moved.
public struct LatentCodesAnalysis: LayerSelectingAnalysis {
    public let typeName = "latent_codes"
    /// The layer whose outputs are the codes; nil: the first of the fewest outputs.
    public var layer: String?
    var data: AnalysisData
    /// Codes per side of the decoder grid (2-D codes); 0: none.
    public var grid: Int
    public var corruption: (any Corruption)?
    public var seed: UInt64

    init(layer: String?, data: AnalysisData, grid: Int, corruption: (any Corruption)?, seed: UInt64) {
        (self.layer, self.data, self.grid, self.corruption, self.seed) = (layer, data, grid, corruption, seed)
    }

    public func run(network: Network, trainingPoints: Tensor) throws -> AnalysisResult {
        let (points, labels, source) = try data.points(training: trainingPoints, network: network, analysis: typeName)
        let name = try layer ?? network.narrowestLayerName ?? { throw AnalysisError("latent_codes: the network has no layers") }()
        let (encoder, decoder): (Network, Network)
        do { (encoder, decoder) = try network.split(after: name) } catch { throw AnalysisError("latent_codes: \(error)") }
        let codes = encoder(points).reshaped([points.rows, encoder.outputShape.reduce(1, *)])
        let width = codes.columns
        var result = AnalysisResult(
            summary: [.init("layer", .string(name)), .init("points", .int(points.rows)), .init("data", .string(source)),
                      .init("width", .int(width)), .init("labelled", .bool(labels != nil))],
            arrays: [("codes", codes)] + (labels.map { [("labels", Tensor(shape: [$0.count], scalars: $0.map(Float.init)))] } ?? []),
            table: [["layer", "points", "width"], [name, "\(points.rows)", "\(width)"]])
        let pictured = "the first \(points.rows) \(AnalysisData.pointsName(source))" + (labels != nil ? ", coloured by label" : "")
        if let map = Self.mapArray(codes) {
            result.arrays.append(("map", map.pairs))
            result.charts.append(ResultChart(title: map.title + " (\(name))", kind: .map, array: "map", xLabel: map.xLabel, yLabel: map.yLabel,
                                             caption: "The codes of \(pictured).", labels: labels != nil ? "labels" : nil))
        }
        if width == 2, grid >= 2 { addGrid(of: decoder, codes: codes, points: points, layer: name, to: &result) }
        if let corruption { try addShift(under: corruption, encoder: encoder, points: points, codes: codes, layer: name, to: &result) }
        return result
    }

    /// (x, y) pairs drawable as a map: a 2-D code as it is, a 3-D one as the
    /// angles of its direction; nil for other widths.
    static func mapArray(_ codes: Tensor) -> (pairs: Tensor, title: String, xLabel: String, yLabel: String)? {
        switch codes.columns {
        case 2: return (codes, "Latent codes", "code 1", "code 2")
        case 3: return (sphereAngles(codes), "Latent codes on the unit sphere", "azimuth (degrees)", "elevation (degrees)")
        default: return nil
        }
    }

    /// Each 3-D code normalised to unit length, as (azimuth atan2(y, x), elevation asin(z)) in degrees.
    static func sphereAngles(_ codes: Tensor) -> Tensor {
        let values = codes.scalars
        let angles = (0..<codes.rows).flatMap { row -> [Float] in
            let (x, y, z) = (Double(values[3 * row]), Double(values[3 * row + 1]), Double(values[3 * row + 2]))
            let norm = (x * x + y * y + z * z).squareRoot()
            guard norm > 0 else { return [.nan, .nan] }
            return [Float(atan2(y, x) * 180 / .pi), Float(asin(max(-1, min(1, z / norm))) * 180 / .pi)]
        }
        return Tensor(shape: [codes.rows, 2], scalars: angles)
    }

    func addGrid(of decoder: Network, codes: Tensor, points: Tensor, layer: String, to result: inout AnalysisResult) {
        let codeGrid = CodeGrid(spanning: codes, side: grid)
        result.arrays.append(("decoder_grid", codeGrid.strip(of: decoder(codeGrid.codes))))
        result.imageStrips.append(ResultImageStrip(
            title: "Decoder on a grid of codes (\(layer))", array: "decoder_grid", sampleShape: decoder.outputShape,
            valueRange: Self.range(of: points),
            caption: "The decoder's output for \(grid) x \(grid) codes from the 1st to the 99th percentile of the codes: \(codeGrid.caption)."))
    }

    /// The codes of the corrupted points, each one's distance from its clean
    /// code, and both sets as one map (label 0 clean, 1 corrupted).
    func addShift(under corruption: any Corruption, encoder: Network, points: Tensor, codes: Tensor, layer: String,
                  to result: inout AnalysisResult) throws {
        var rng = RandomGenerator(seed: seed)
        let corrupted = encoder(corruption.corrupt(points, using: &rng)).reshaped(codes.shape)
        let shifts = corrupted.rowDistances(to: codes)
        let mean = shifts.reduce(0, +) / Double(max(shifts.count, 1))
        result.arrays += [("corrupted_codes", corrupted), ("code_shifts", Tensor(shape: [shifts.count], scalars: shifts.map(Float.init)))]
        result.summary.append(.init("mean_code_shift", .double(mean)))
        result.table[0].append("mean shift under corruption")
        result.table[1].append(String(format: "%.4g", mean))
        guard let clean = Self.mapArray(codes), let moved = Self.mapArray(corrupted) else { return }
        let both = Tensor(shape: [2 * codes.rows, 2], scalars: clean.pairs.scalars + moved.pairs.scalars)
        let sides = Tensor(shape: [2 * codes.rows], scalars: [Float](repeating: 0, count: codes.rows) + [Float](repeating: 1, count: codes.rows))
        result.arrays += [("shift_map", both), ("shift_labels", sides)]
        result.charts.append(ResultChart(
            title: clean.title + " of clean and corrupted inputs (\(layer))", kind: .map, array: "shift_map",
            xLabel: clean.xLabel, yLabel: clean.yLabel,
            caption: String(format: "The codes of the same points, clean and corrupted; a code moves %.3g on average.", mean),
            labels: "shift_labels", labelNames: ["clean", "corrupted"]))
    }

    static func range(of points: Tensor) -> ClosedRange<Float>? {
        let finite = points.scalars.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max(), high > low else { return nil }
        return low...high
    }
}

extension LatentCodesAnalysis {
    static func register(in registry: inout Registry) {
        registry.analyses.register(
            "latent_codes", summary: "a layer's activations (the code) for the data, as a map by label and a decoder grid, for the report",
            parameters: [
                ParameterSpec("layer", .text, optional: true,
                              doc: "the code's layer (default: the first layer with the fewest outputs, the bottleneck)"),
            ] + AnalysisData.parameters(first: 1000) + [
                .integer("grid", default: 10, range: .nonNegative, doc: "codes per side of the decoder grid for a 2-D code (0: none)"),
                ParameterSpec("corruption", .module(kind: "corruption"), optional: true,
                              doc: "also the codes of inputs corrupted this way, and how far they move"),
                .integer("seed", range: .nonNegative, optional: true, doc: "the corruption's seed (default: derived from the experiment's)"),
            ]
        ) { config, context in
            LatentCodesAnalysis(
                layer: try config.optionalString("layer"), data: try AnalysisData(reading: config, context: context, defaultFirst: 1000),
                grid: try config.int("grid"),
                corruption: config.node("corruption") != nil ? try config.module("corruption", from: context.registry.corruptions, context: context) : nil,
                seed: UInt64(try config.int("seed", default: Int(context.seed % (1 << 31)) + 13)))
        }
    }
}
