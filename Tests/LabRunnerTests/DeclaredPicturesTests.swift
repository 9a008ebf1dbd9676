import Foundation
import LabCore
import LabModules
import Testing
import TestSupport

@testable import LabRunner

/// An analysis the report has never heard of (defined here, as a plugin
/// would be) gets its declared table and chart into report.md and
/// report.html, drawn from its results alone.
@Suite struct DeclaredPicturesTests {
    /// Each training point's norm: a table of the largest, a line chart of all.
    struct NormProbe: Analysis {
        let typeName = "norm_probe"
        func run(network: Network, trainingPoints: Tensor) throws -> AnalysisResult {
            let norms = (0..<trainingPoints.rows).map { row in
                trainingPoints.scalars[(row * trainingPoints.columns)..<((row + 1) * trainingPoints.columns)].reduce(0) { $0 + $1 * $1 }.squareRoot()
            }
            return AnalysisResult(
                summary: [ConfigValue.Entry("largest_norm", .double(Double(norms.max()!)))],
                arrays: [("norm", Tensor(shape: [norms.count], scalars: norms))],
                tables: [ResultTable(title: "Probe table", header: ["largest norm"], rows: [[String(format: "%.4f", norms.max()!)]])],
                charts: [ResultChart(title: "Probe chart of norms", kind: .line, array: "norm", xLabel: "training point", yLabel: "norm")])
        }
    }

    @Test func aNewAnalysisAppearsInTheReportWithItsTableAndChart() throws {
        var registry = BuiltinModules.registry
        registry.analyses.register("norm_probe", summary: "norms of the training points", parameters: []) { _, _ in NormProbe() }
        let folder = TemporaryDirectory()
        let path = folder.file("probe.yaml")
        try """
            name: probe
            seed: 3
            data: {type: random, count: 5, shape: [4], distribution: uniform}
            model: {mlp: {width: 3, depth: 1}}
            training: {optimizer: sgd, epochs: 2, batch_size: 5}
            analyses: [norm_probe]
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let pipeline = ExperimentPipeline(registry: registry)
        let (experiment, run) = try pipeline.prepare(path, runDirectory: folder.file("run"))
        _ = try pipeline.complete(experiment, in: run, progress: ProgressReporter(totalEpochs: 2, isTerminal: false, write: { _ in }))

        let points = experiment.dataset.allSamples()
        let largest = (0..<5).map { row in (0..<4).map { Double(points[row * 4 + $0]) }.reduce(0) { $0 + $1 * $1 }.squareRoot() }.max()!
        let results = try #require(try ResultsFile(run: run).read())
        #expect(results.analysis("norm_probe")?.value("largest_norm")?.doubleValue.map { abs($0 - largest) < 1e-5 } == true)

        let document = try ReportBuilder(directory: run.path).build()
        let chart = try #require(document.blocks.lazy.compactMap { block -> String? in
            if case .svg(_, let text, _) = block, text.contains("Probe chart of norms") { return text } else { return nil }
        }.first)
        let line = try #require(chart.components(separatedBy: "<polyline fill=\"none\"").dropFirst().first)
        let pointsAttribute = try #require(line.components(separatedBy: "points=\"").dropFirst().first?.components(separatedBy: "\"").first)
        #expect(pointsAttribute.split(separator: " ").count == 5, "one vertex per training point")
        let (markdown, html) = try document.write(to: run.path)
        for file in [markdown, html] {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(text.contains("Probe table (norm_probe"), "\(file)")
            #expect(text.contains(String(format: "%.4f", largest)), "\(file)")
            #expect(text.contains("Probe chart of norms") || text.contains("chart-0-0"), "\(file)")
        }
    }

    /// latent_codes's maps reach the report as scatters: the clean and the
    /// corrupted codes as two coloured series under a legend naming them.
    @Test func aMapChartDrawsOneColourPerLabelWithALegend() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("map.yaml")
        try """
            name: map
            seed: 3
            data: {type: random, count: 6, shape: [16], distribution: uniform}
            model: {mlp: {width: 2, depth: 1, activation: tanh}}
            training: {optimizer: sgd, epochs: 1, batch_size: 6}
            analyses: [{type: latent_codes, grid: 3, corruption: {type: masking, probability: 0.5}}]
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let pipeline = ExperimentPipeline(registry: BuiltinModules.registry)
        let (experiment, run) = try pipeline.prepare(path, runDirectory: folder.file("run"))
        _ = try pipeline.complete(experiment, in: run, progress: ProgressReporter(totalEpochs: 1, isTerminal: false, write: { _ in }))
        let document = try ReportBuilder(directory: run.path).build()
        let svgs = document.blocks.compactMap { block -> String? in if case .svg(_, let text, _) = block { return text } else { return nil } }
        let shift = try #require(svgs.first { $0.contains("clean and corrupted inputs") })
        #expect(shift.components(separatedBy: "<circle").count - 1 == 12, "six clean and six corrupted codes")
        #expect(shift.contains(">clean</text>") && shift.contains(">corrupted</text>"))
        let circles = shift.components(separatedBy: "<circle").dropFirst()
        let colours = Set(circles.compactMap { $0.components(separatedBy: "fill=\"").dropFirst().first?.split(separator: "\"").first })
        #expect(colours.count == 2, "one colour per label")
        let codes = try #require(svgs.first { $0.contains("Latent codes (dense_1)") })
        #expect(codes.components(separatedBy: "<circle").count - 1 == 6)
        let captions = document.blocks.compactMap { block -> String? in if case .png(_, _, let caption) = block { return caption } else { return nil } }
        #expect(captions.contains { $0.contains("3 x 3 codes") }, "16 values are a 4 x 4 image: the decoder grid is drawn")
    }
}
