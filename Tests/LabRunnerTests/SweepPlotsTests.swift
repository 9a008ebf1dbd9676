import Foundation
import LabCore
import LabIO
import Testing
import TestSupport

@testable import LabRunner

/// `report: plots` on a sweep written by hand (results files only), so
/// every plotted mean and spread is known.
@Suite struct SweepPlotsTests {
    static let config = """
        name: norms
        seed: 1
        data: {type: random, count: 4, shape: [8], distribution: gaussian}
        model: {mlp: {width: 8, depth: 1, activation: sigmoid}}
        training: {optimizer: sgd, epochs: 2, batch_size: 4}
        analyses: [jacobian_spectrum, {type: basins, rule: fixed_steps}]
        sweep:
          grid:
            data.radius: [20, 5]
            model.mlp.width: [8, 16]
            model.mlp.activation: [sigmoid]
          repeats: 3
        report:
          plots:
            - {y: jacobian_spectrum.radius_max, x: data.radius, lines: model.mlp.width, title: Largest modulus}
            - {y: jacobian_spectrum.radius_max, x: model.mlp.width, lines: data.radius, spread: ci95, spread_style: error_bars}
        """

    /// Repeat r of cell (radius, width) has radius_max = radius / 10 + width / 100 + r / 10;
    /// repeat 2 of (20, 16) is left unfinished.
    func writeSweep(in folder: TemporaryDirectory, config: String = config) throws -> String {
        let path = folder.file("sweep.yaml")
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        let plan = try SweepPlan(configFile: path)
        let directory = folder.file("runs/norms")
        try SweepManifest(plan: plan).write(to: directory)
        for point in plan.points {
            let radius = Double(point.coordinates[0].value)!, width = Double(point.coordinates[1].value)!
            let run = RunDirectory(path: (directory as NSString).appendingPathComponent(point.label))
            try run.create(resolvedConfigYAML: "name: x\n")
            try "epoch,loss,seconds\n1,0.5,1.0\n".write(toFile: run.metricsPath, atomically: true, encoding: .utf8)
            let spectrum: [String: Any] = ["name": "jacobian_spectrum", "radius_max": radius / 10 + width / 100 + Double(point.repeatIndex) / 10,
                                           "route": "full"]
            let basins: [String: Any] = ["name": "basins", "returned_fraction_variance_1": 0.5]
            let results: [String: Any] = ["experiment": "x", "checkpoint": "last.h5", "epoch": 2, "analyses": [spectrum, basins]]
            try JSONSerialization.data(withJSONObject: results).write(to: URL(fileURLWithPath: run.file("results.json")))
            if point.label != "radius=20_width=16_activation=sigmoid_r2" { try run.markComplete() }
        }
        return directory
    }

    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-9 }

    @Test func eachPointIsTheMeanOfItsCellsCompleteRepeatsWithTheirRange() throws {
        let folder = TemporaryDirectory()
        let builder = ReportBuilder(directory: try writeSweep(in: folder))
        let (manifest, cells) = try builder.gather()
        let plots = try #require(manifest.plots)
        let charts = SweepPlotCharts(plots: plots, gridKeys: manifest.gridKeys)
        let series = charts.series(plots[0], cells, xIndex: 0, lineIndex: 1)
        #expect(series.map(\.label) == ["width=8", "width=16"])
        // x in increasing order though the grid lists 20 first.
        #expect(series[0].points.map(\.x) == [5, 20])
        #expect(zip(series[0].points.map(\.y), [0.68, 2.18]).allSatisfy(close))
        #expect(zip(series[0].spread!.flatMap { [$0.low, $0.high] }, [0.58, 0.78, 2.08, 2.28]).allSatisfy(close))
        // (20, 16) has two complete repeats: 2.16 and 2.26.
        #expect(close(series[1].points[1].y, 2.21) && close(series[1].spread![1].low, 2.16) && close(series[1].spread![1].high, 2.26))

        let interval = charts.series(plots[1], cells, xIndex: 1, lineIndex: 0)
        #expect(interval.map(\.label) == ["radius=20", "radius=5"])
        let half = 4.303 * 0.1 / 3.0.squareRoot()  // t(0.975, 2) s / sqrt(3), s = 0.1
        #expect(close(interval[1].points[0].y, 0.68) && close(interval[1].spread![0].low, 0.68 - half) && close(interval[1].spread![0].high, 0.68 + half))
        let twoRepeats = 12.706 * (0.005 as Double).squareRoot() / 2.0.squareRoot()  // values 2.16, 2.26: s = 0.0707
        #expect(close(interval[0].spread![1].high - interval[0].points[1].y, twoRepeats))
        // An automatic y axis is logarithmic across three decades, but not when a value is 0.
        let decades = [SVGChart.Series(label: "a", points: [(1, 0.001), (2, 1)])]
        #expect(charts.chart(plots[0], title: "t", series: decades, cells: cells).logY)
        let none = [SVGChart.Series(label: "a", points: [(1, 0.001), (2, 1)], spread: [(0, 0.002), (1, 1)])]
        #expect(!charts.chart(plots[0], title: "t", series: none, cells: cells).logY)
    }

    @Test func theChartsAreInBothReportsWithTheirSeriesAndSayWhatTheSpreadIs() throws {
        let folder = TemporaryDirectory()
        let directory = try writeSweep(in: folder)
        let document = try ReportBuilder(directory: directory).build()
        let charts = document.blocks.compactMap { block -> (name: String, text: String, caption: String)? in
            if case .svg(let name, let text, let caption) = block, name.hasPrefix("plot-") { return (name, text, caption) } else { return nil }
        }
        #expect(charts.map(\.name) == ["plot-0-0", "plot-1-0"])
        let band = charts[0].text
        #expect(band.contains(">Largest modulus (activation = sigmoid)</text>") && band.contains(">width=8</text>") && band.contains(">width=16</text>"), "\(band)")
        #expect(band.components(separatedBy: "<polyline fill=\"none\"").count - 1 == 2, "one line per width")
        #expect(band.components(separatedBy: "class=\"spread-band\"").count - 1 == 2)
        #expect(band.contains("line: mean of 2-3") && band.contains("min to max over"))
        #expect(charts[0].caption.contains("one line per model.mlp.width") && charts[0].caption.contains("min to max over repeats"))
        let bars = charts[1].text
        #expect(bars.components(separatedBy: "class=\"error-bar\"").count - 1 == 4 && bars.contains("95% CI"))
        #expect(charts[1].caption.contains("95% CI of the mean (Student's t)"))
        let (markdown, html) = try document.write(to: directory)
        #expect(try String(contentsOfFile: markdown, encoding: .utf8).contains("](report-files/plot-0-0.svg)"))
        #expect(FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent("report-files/plot-1-0.svg")))
        #expect(try String(contentsOfFile: html, encoding: .utf8).contains(">width=16</text>"))
    }

    @Test func aKeyNoRunHoldsIsNamedAtItsLineWithTheKeysThereAre() throws {
        let folder = TemporaryDirectory()
        let config = Self.config.replacingOccurrences(of: "y: jacobian_spectrum.radius_max, x: data.radius", with: "y: jacobian_spectrum.radius_maxx, x: data.radius")
        let error = #expect(throws: ConfigError.self) { try ReportBuilder(directory: try writeSweep(in: folder, config: config)).build() }
        let text = error?.description ?? ""
        #expect(text.contains("sweep.yaml:15:11: error: report.plots[0].y: no run's jacobian_spectrum results hold a number under 'radius_maxx'"), "\(text)")
        #expect(text.contains("(did you mean 'radius_max'?)") && text.contains("allowed: jacobian_spectrum's numeric summary keys: radius_max)"), "\(text)")
    }

    @Test func badKeyPathsAreNamedAtTheirLineWithWhatIsAllowed() throws {
        let folder = TemporaryDirectory()
        func error(_ old: String, _ new: String) -> String {
            let path = folder.file("bad.yaml")
            try? Self.config.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: true, encoding: .utf8)
            return (#expect(throws: ConfigError.self) { try SweepPlan(configFile: path) })?.description ?? ""
        }
        let grid = error("x: data.radius, lines", "x: data.radios, lines")
        #expect(grid.contains("bad.yaml:15:44: error: report.plots[0].x: must name one of the sweep's grid keys, got 'data.radios' (did you mean 'data.radius'?)")
            && grid.contains("allowed: data.radius, model.mlp.width, model.mlp.activation"), "\(grid)")
        let analysis = error("y: jacobian_spectrum.radius_max, x: data.radius", "y: jacobian.radius_max, x: data.radius")
        #expect(analysis.contains("bad.yaml:15:11: error: report.plots[0].y: no analysis 'jacobian' in the sweep's analyses")
            && analysis.contains("one of the sweep's analyses: jacobian_spectrum, basins"), "\(analysis)")
        let words = error("x: data.radius, lines", "x: model.mlp.activation, lines")
        #expect(words.contains("report.plots[0].x: model.mlp.activation takes 'sigmoid'") && words.contains("bad.yaml:11:"), "\(words)")
        let same = error("lines: model.mlp.width, title", "lines: data.radius, title")
        #expect(same.contains("report.plots[0].lines: lines must be another grid key than x"), "\(same)")
        let spread = error("spread: ci95", "spread: sd")
        #expect(spread.contains("report.plots[1].spread: 'sd' is not one of the allowed values (allowed: min_max, ci95, none)"), "\(spread)")
        let unknown = error("title: Largest modulus", "titel: Largest modulus")
        #expect(unknown.contains("unknown key 'titel' (did you mean 'title'?)"), "\(unknown)")
    }
    static let measuresConfig = """
        name: sizes
        seed: 1
        data: {type: random, count: 4, shape: [8], distribution: gaussian}
        model: {mlp: {width: 2, depth: 1, activation: sigmoid}}
        training: {optimizer: sgd, epochs: 2, batch_size: 4}
        evaluation: {data: {type: random, count: 4, shape: [8], distribution: gaussian}, every: 2}
        analyses: [iterates]
        sweep:
          grid:
            model.mlp.width: [4, 2]
            model.mlp.depth: [1, 3]
          repeats: 2
        report:
          plots:
            - {y: heldout_loss, x: model.mlp.width, lines: model.mlp.depth}
            - {y: loss, x: model.mlp.width, lines: model.mlp.depth, spread: none}
        """

    /// Repeat r of cell (width, depth) ends with loss width + depth / 10 + r and held-out loss twice that;
    /// the held-out column is empty at epoch 1, and repeat 1 of (2, 3) stopped before its last epoch's held-out loss.
    func writeMeasuredSweep(in folder: TemporaryDirectory, config: String = measuresConfig) throws -> String {
        let path = folder.file("sizes.yaml")
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        let plan = try SweepPlan(configFile: path)
        let directory = folder.file("runs/sizes")
        try SweepManifest(plan: plan).write(to: directory)
        for point in plan.points {
            let width = Double(point.coordinates[0].value)!, depth = Double(point.coordinates[1].value)!
            let loss = width + depth / 10 + Double(point.repeatIndex)
            let run = RunDirectory(path: (directory as NSString).appendingPathComponent(point.label))
            try run.create(resolvedConfigYAML: "name: x\n")
            let heldout = point.label == "width=2_depth=3_r1" ? "" : "\(2 * loss)"
            try "epoch,loss,seconds,heldout_loss\n1,9.0,1.0,\n2,\(loss),2.0,\(heldout)\n"
                .write(toFile: run.metricsPath, atomically: true, encoding: .utf8)
            try run.markComplete()
        }
        return directory
    }

    @Test func trainingMeasuresArePlottedFromEachRunsLastEpoch() throws {
        let folder = TemporaryDirectory()
        let builder = ReportBuilder(directory: try writeMeasuredSweep(in: folder))
        let (manifest, cells) = try builder.gather()
        let plots = try #require(manifest.plots)
        #expect(plots.map(\.y) == ["heldout_loss", "loss"] && plots.map(\.measure) == [.heldoutLoss, .loss])
        let charts = SweepPlotCharts(plots: plots, gridKeys: manifest.gridKeys)
        let heldout = charts.series(plots[0], cells, xIndex: 0, lineIndex: 1)
        #expect(heldout.map(\.label) == ["depth=1", "depth=3"])
        #expect(heldout[0].points.map(\.x) == [2, 4])
        // Depth 1: held-out 2 (w + 0.1 + r) over r = 0, 1; width 2 at depth 3 has only repeat 0's 2 x 2.3.
        #expect(zip(heldout[0].points.map(\.y), [5.2, 9.2]).allSatisfy(close))
        #expect(zip(heldout[0].spread!.flatMap { [$0.low, $0.high] }, [4.2, 6.2, 8.2, 10.2]).allSatisfy(close))
        #expect(close(heldout[1].points[0].y, 4.6) && close(heldout[1].points[1].y, 9.6))
        let loss = charts.series(plots[1], cells, xIndex: 0, lineIndex: 1)
        #expect(zip(loss[1].points.map(\.y), [2.8, 4.8]).allSatisfy(close) && loss[1].spread == nil)
        let svg = try #require(try charts.blocks(for: cells).compactMap { block -> String? in
            if case .svg(let name, let text, _) = block, name == "plot-0-0" { return text } else { return nil }
        }.first)
        #expect(svg.contains(">heldout_loss against model.mlp.width</text>") && svg.contains(">depth=3</text>"), "\(svg)")
    }

    @Test func aTrainingMeasureIsCheckedAtItsLine() throws {
        let folder = TemporaryDirectory()
        func error(_ old: String, _ new: String) -> String {
            let path = folder.file("bad.yaml")
            try? Self.measuresConfig.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: true, encoding: .utf8)
            return (#expect(throws: ConfigError.self) { try SweepPlan(configFile: path) })?.description ?? ""
        }
        let misspelt = error("y: heldout_loss", "y: heldout_los")
        #expect(misspelt.contains("bad.yaml:15:11: error: report.plots[0].y: 'heldout_los' is neither ANALYSIS.SUMMARY_KEY nor a training measure (did you mean 'heldout_loss'?)")
            && misspelt.contains("allowed: ANALYSIS.SUMMARY_KEY, or a training measure: loss, heldout_loss"), "\(misspelt)")
        let unevaluated = error("evaluation: {data: {type: random, count: 4, shape: [8], distribution: gaussian}, every: 2}\n", "")
        #expect(unevaluated.contains("bad.yaml:14:11: error: report.plots[0].y: heldout_loss needs an evaluation block in every point's config"), "\(unevaluated)")
    }
}
