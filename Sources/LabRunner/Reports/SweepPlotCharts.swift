import LabCore
import LabIO

/// The charts of a sweep's `SweepPlot`s: a summary value of an analysis
/// (read from each run's results, whatever the analysis) or a training
/// measure (from each run's metrics.csv) against a grid key,
/// a line per value of another grid key, each point the mean over the cell's
/// complete repeats with its spread. A chart per variant and per value of
/// the grid keys the plot leaves out.
struct SweepPlotCharts {
    typealias Group = (title: String, cells: [ReportBuilder.Cell])

    let plots: [SweepPlot]
    let gridKeys: [String]

    func blocks(for cells: [ReportBuilder.Cell]) throws -> [ReportDocument.Block] {
        guard !plots.isEmpty else { return [] }
        var blocks: [ReportDocument.Block] = [.heading(1, "Summary values against the swept values")]
        for (number, plot) in plots.enumerated() {
            let (xIndex, lineIndex) = try indices(plot)
            guard try hasValues(plot, cells) else {
                blocks.append(.paragraph("\(plot.title): no complete run has " + (plot.measure.map { "a final \($0.rawValue)" }
                    ?? "results of \(plot.analysis)") + " yet."))
                continue
            }
            for (groupNumber, group) in groups(cells, leaving: [xIndex] + (lineIndex.map { [$0] } ?? [])).enumerated() {
                let series = self.series(plot, group.cells, xIndex: xIndex, lineIndex: lineIndex)
                let title = plot.title + (group.title.isEmpty ? "" : " (\(group.title))")
                blocks.append(.svg(name: "plot-\(number)-\(groupNumber)", text: chart(plot, title: title, series: series, cells: group.cells).svg,
                                   caption: caption(plot, group: group)))
            }
        }
        return blocks
    }

    /// The positions of the plot's x and lines keys among the manifest's grid keys (the plan checked
    /// them; a manifest edited since may not hold them).
    func indices(_ plot: SweepPlot) throws -> (x: Int, lines: Int?) {
        let keys = [plot.x] + (plot.lines.map { [$0] } ?? [])
        let found = try keys.map { key -> Int in
            guard let index = gridKeys.firstIndex(of: key) else {
                throw RunError("\(SweepManifest.fileName): the plot '\(plot.title)' draws \(key), which is not among the grid keys "
                    + gridKeys.joined(separator: ", "))
            }
            return index
        }
        return (found[0], found.count > 1 ? found[1] : nil)
    }

    /// Whether any complete run has the plot's analysis (or, for a training measure, a last epoch);
    /// an error when such runs exist but none holds a number under its key.
    func hasValues(_ plot: SweepPlot, _ cells: [ReportBuilder.Cell]) throws -> Bool {
        if let measure = plot.measure {
            let complete = cells.flatMap(\.records).filter(\.isComplete)
            guard complete.contains(where: { !$0.curve.isEmpty }) else { return false }
            guard complete.contains(where: { Self.value(plot, $0) != nil }) else {
                throw ConfigError(location: plot.yLocation, keyPath: plot.yKeyPath,
                                  message: "no complete run's metrics.csv holds \(measure.rawValue) at its last epoch",
                                  allowed: "a measure every run takes: loss, or heldout_loss with an evaluation block")
            }
            return true
        }
        let records = cells.flatMap(\.records).filter(\.isComplete).compactMap { $0.results?.analysis(plot.analysis) }
        guard !records.isEmpty else { return false }
        guard records.contains(where: { $0.value(plot.key)?.doubleValue != nil }) else {
            let numeric = Set(records.flatMap { $0.summary.filter { $0.value.doubleValue != nil }.map(\.key) }).sorted()
            throw ConfigError(location: plot.yLocation, keyPath: plot.yKeyPath,
                              message: "no run's \(plot.analysis) results hold a number under '\(plot.key)'"
                                  + ConfigReader.suggestion(for: plot.key, among: numeric),
                              allowed: "\(plot.analysis)'s numeric summary keys: " + (numeric.isEmpty ? "none" : numeric.joined(separator: ", ")))
        }
        return true
    }

    /// Cells grouped by variant and the values of every grid key not in `used`.
    func groups(_ cells: [ReportBuilder.Cell], leaving used: [Int]) -> [Group] {
        let names = SweepPlan.shortNames(gridKeys)
        var groups: [Group] = []
        for cell in cells {
            let parts = (cell.variant.map { ["variant \($0)"] } ?? [])
                + gridKeys.indices.filter { !used.contains($0) }.map { "\(names[$0]) = \(cell.values[$0])" }
            let title = parts.joined(separator: ", ")
            if let index = groups.firstIndex(where: { $0.title == title }) { groups[index].cells.append(cell) } else { groups.append((title, [cell])) }
        }
        return groups
    }

    /// A series per value of the lines key (one when there is none), a point per x value in increasing order.
    func series(_ plot: SweepPlot, _ cells: [ReportBuilder.Cell], xIndex: Int, lineIndex: Int?) -> [SVGChart.Series] {
        let lineValues = lineIndex.map { index in StudyTables.ordered(cells.map { $0.values[index] }) } ?? [""]
        return lineValues.map { line in
            let inLine = cells.filter { cell in lineIndex.map { cell.values[$0] == line } ?? true }
                .sorted { Double($0.values[xIndex]) ?? 0 < Double($1.values[xIndex]) ?? 0 }
            var points: [(x: Double, y: Double)] = [], spread: [(low: Double, high: Double)] = []
            for cell in inLine {
                let values = Self.values(plot, cell.records)
                guard let x = Double(cell.values[xIndex]), let mean = ReportStatistics.mean(values) else { continue }
                points.append((x, mean))
                spread.append(Self.spread(plot.spread, values, mean: mean))
            }
            let label = lineIndex.map { "\(SweepPlan.shortNames(gridKeys)[$0])=\(line)" } ?? plot.y
            return SVGChart.Series(label: label, points: points, spread: plot.spread == .none ? nil : spread)
        }
    }

    /// The plot's finite values in a cell's complete runs.
    static func values(_ plot: SweepPlot, _ records: [RunRecord]) -> [Double] {
        records.filter(\.isComplete).compactMap { value(plot, $0) }.filter(\.isFinite)
    }

    /// A run's value of the plot's y: its training measure at the last epoch, or its analysis's summary value.
    static func value(_ plot: SweepPlot, _ record: RunRecord) -> Double? {
        switch plot.measure {
        case .loss: record.finalLoss
        case .heldoutLoss: record.finalHeldoutLoss
        case nil: record.results?.analysis(plot.analysis)?.value(plot.key)?.doubleValue
        }
    }

    /// Min to max, or the 95% interval of the mean (none below two values).
    static func spread(_ kind: SweepPlot.Spread, _ values: [Double], mean: Double) -> (low: Double, high: Double) {
        switch kind {
        case .minMax: return (values.min() ?? mean, values.max() ?? mean)
        case .ci95:
            let half = ReportStatistics.confidenceHalfWidth(values) ?? 0
            return (mean - half, mean + half)
        case .none: return (mean, mean)
        }
    }

    func chart(_ plot: SweepPlot, title: String, series: [SVGChart.Series], cells: [ReportBuilder.Cell]) -> SVGChart {
        var chart = SVGChart(.lines, title: title, xLabel: plot.x, yLabel: plot.y, series: series)
        chart.markers = true
        chart.spreadStyle = plot.spreadStyle == .band ? .band : .errorBars
        let ys = series.flatMap { $0.points.map(\.y) + ($0.spread ?? []).flatMap { [$0.low, $0.high] } }
        // Automatic: never log when a mean or a spread's end is 0 or below (a fraction of none, an interval through 0).
        chart.logY = plot.yScale == .auto && ys.contains { $0 <= 0 } ? false : DeclaredPictures.logarithmic(plot.yScale, ys)
        chart.logX = DeclaredPictures.logarithmic(plot.xScale, series.flatMap { $0.points.map(\.x) })
        let repeats = Set(cells.map { Self.values(plot, $0.records).count })
        let count = repeats.count == 1 ? "\(repeats.first!)" : "\(repeats.min() ?? 0)-\(repeats.max() ?? 0)"
        chart.legendNote = "line: mean of \(count) repeats" + (spreadText(plot).map { "; \($0)" } ?? "")
        return chart
    }

    /// What the spread shows, as the legend and caption say it.
    func spreadText(_ plot: SweepPlot) -> String? {
        let shape = plot.spreadStyle == .band ? "shaded" : "bars"
        switch plot.spread {
        case .minMax: return "\(shape): min to max over repeats"
        case .ci95: return "\(shape): 95% CI of the mean (Student's t)"
        case .none: return nil
        }
    }

    func caption(_ plot: SweepPlot, group: Group) -> String {
        let complete = group.cells.flatMap(\.records).filter(\.isComplete)
        let held = complete.compactMap { Self.value(plot, $0) }
        let notFinite = held.filter { !$0.isFinite }.count
        return "\(plot.y) against \(plot.x)" + (plot.lines.map { ", one line per \($0)" } ?? "")
            + (group.title.isEmpty ? "" : " (\(group.title))")
            + ": each point the mean over the cell's complete repeats" + (spreadText(plot).map { "; \($0)" } ?? "")
            + (plot.spread == .ci95 ? ", none for a point of one repeat" : "") + "."
            + (notFinite > 0 ? " \(notFinite) value\(notFinite == 1 ? " that was" : "s that were") not finite left out." : "")
    }
}
