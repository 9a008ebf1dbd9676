import Foundation
import LabCore

/// `pca`: the linear baseline beside the autoencoder. The points (the
/// training data or a dataset of its own) are centred by their mean and
/// reconstructed through their first k principal components (LAPACK's SVD);
/// the reconstruction is scored by the training's loss and by MSE, beside
/// the autoencoder's on the same points. For k = 2 the report gets the same
/// map and grid of decoded codes as `latent_codes` draws for a 2-D code.
/// PCA's MSE is the sum of the discarded variances over the dimension.
public struct PCAAnalysis: Analysis {
    public let typeName = "pca"
    public var components: Int
    var data: AnalysisData
    /// The loss the autoencoder trained with (MSE when none is known).
    public var loss: any Loss
    public var grid: Int
    public var images: Int

    init(components: Int, data: AnalysisData, loss: any Loss, grid: Int, images: Int) {
        (self.components, self.data, self.loss, self.grid, self.images) = (components, data, loss, grid, images)
    }

    public func run(network: Network, trainingPoints: Tensor) throws -> AnalysisResult {
        let (points, labels, source) = try data.points(training: trainingPoints, network: network, analysis: typeName)
        let flat = points.reshaped([points.rows, points.columns])
        guard components <= flat.columns else {
            throw AnalysisError("pca: \(components) components asked for, but the points have \(flat.columns) values")
        }
        let pca = try PrincipalComponents(of: flat, count: components)
        let codes = pca.codes(of: flat)
        let reconstruction = pca.reconstruction(of: codes)
        let output = network(points).reshaped(flat.shape)
        let scores = try [reconstruction, output].map { prediction in
            (loss: try score(prediction, flat, by: loss), mse: try score(prediction, flat, by: MeanSquaredError()))
        }
        let total = pca.variances.reduce(0, +)
        let explained = total > 0 ? pca.variances.prefix(components).reduce(0, +) / total : .nan
        var result = AnalysisResult(
            summary: [.init("components", .int(components)), .init("points", .int(points.rows)), .init("data", .string(source)),
                      .init("pca_loss", .double(scores[0].loss)), .init("autoencoder_loss", .double(scores[1].loss)),
                      .init("pca_mse", .double(scores[0].mse)), .init("autoencoder_mse", .double(scores[1].mse)),
                      .init("explained_variance_ratio", .double(explained)),
                      .init("discarded_variance_per_value", .double(pca.discardedVariancePerValue))],
            arrays: [("codes", codes), ("variances", Tensor(shape: [pca.variances.count], scalars: pca.variances.map(Float.init)))]
                + (labels.map { [("labels", Tensor(shape: [$0.count], scalars: $0.map(Float.init)))] } ?? []),
            table: [["method", "loss", "mse"], ["pca (k = \(components))", Self.text(scores[0].loss), Self.text(scores[0].mse)],
                    ["autoencoder", Self.text(scores[1].loss), Self.text(scores[1].mse)]],
            tables: [ResultTable(
                title: "PCA vs autoencoder", header: ["method", "training loss", "MSE"],
                rows: [["PCA, \(components) components", Self.text(scores[0].loss), Self.text(scores[0].mse)],
                       ["autoencoder", Self.text(scores[1].loss), Self.text(scores[1].mse)]],
                caption: "Both reconstruct the same \(points.rows) \(AnalysisData.pointsName(source)); the first \(components) components explain "
                    + String(format: "%.1f%% of their variance.", explained * 100))])
        addPictures(pca: pca, points: flat, codes: codes, reconstruction: reconstruction, output: output,
                    labelled: labels != nil, sampleShape: network.inputShape, to: &result)
        return result
    }

    func score(_ prediction: Tensor, _ target: Tensor, by loss: any Loss) throws -> Double {
        do { return try loss.evaluate(prediction: prediction, target: target).value } catch { throw AnalysisError("pca: \(error)") }
    }

    /// The axes as images, reconstructions beside the autoencoder's, and for k = 2 the map and the grid of decoded codes.
    func addPictures(pca: PrincipalComponents, points: Tensor, codes: Tensor, reconstruction: Tensor, output: Tensor,
                     labelled: Bool, sampleShape: [Int], to result: inout AnalysisResult) {
        let range = LatentCodesAnalysis.range(of: points)
        let shown = Array(0..<min(images, points.rows))
        let rows = [points, reconstruction, output].map { $0.gatherRows(shown) }
        result.arrays += [("axes", pca.axes.reshaped([1, pca.count, pca.dimension])),
                          ("reconstructions", Tensor(shape: [3, shown.count, points.columns], scalars: rows.flatMap(\.scalars)))]
        result.imageStrips += [
            ResultImageStrip(title: "Principal axes", array: "axes", sampleShape: sampleShape,
                             caption: "The first \(pca.count) principal axes, each on its own range (lowest black, highest white)."),
            ResultImageStrip(title: "PCA and autoencoder reconstructions", array: "reconstructions", sampleShape: sampleShape,
                             valueRange: range,
                             caption: "Rows: the first \(shown.count) points, their reconstruction through \(pca.count) principal components, "
                                + "the autoencoder's."),
        ]
        guard pca.count == 2 else { return }
        result.arrays.append(("map", codes))
        result.charts.append(ResultChart(title: "PCA codes (2 components)", kind: .map, array: "map", xLabel: "component 1", yLabel: "component 2",
                                         caption: "The points' coordinates along the first two principal axes"
                                            + (labelled ? ", coloured by label." : "."), labels: labelled ? "labels" : nil))
        guard grid >= 2 else { return }
        let codeGrid = CodeGrid(spanning: codes, side: grid)
        result.arrays.append(("decoder_grid", codeGrid.strip(of: pca.reconstruction(of: codeGrid.codes))))
        result.imageStrips.append(ResultImageStrip(
            title: "PCA on a grid of codes", array: "decoder_grid", sampleShape: sampleShape, valueRange: range,
            caption: "mean + c1 v1 + c2 v2 for \(grid) x \(grid) codes from the 1st to the 99th percentile of the points' codes: \(codeGrid.caption)."))
    }

    static func text(_ value: Double) -> String { String(format: "%.5g", value) }
}

extension PCAAnalysis {
    static func register(in registry: inout Registry) {
        registry.analyses.register(
            "pca", summary: "the data through its first k principal components, scored beside the autoencoder, with a map and a grid for k = 2",
            parameters: [
                .integer("components", default: 2, range: .atLeast(1), doc: "principal components kept (k)"),
            ] + AnalysisData.parameters(first: nil) + [
                .integer("grid", default: 10, range: .nonNegative, doc: "codes per side of the grid of decoded codes for k = 2 (0: none)"),
                .integer("images", default: 8, range: .atLeast(1), doc: "points pictured beside their reconstructions"),
            ]
        ) { config, context in
            PCAAnalysis(components: try config.int("components"), data: try AnalysisData(reading: config, context: context, defaultFirst: nil),
                        loss: context.loss ?? MeanSquaredError(), grid: try config.int("grid"), images: try config.int("images"))
        }
    }
}
