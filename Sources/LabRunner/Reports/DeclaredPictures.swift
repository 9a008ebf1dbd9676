import LabCore
import LabIO

/// The tables, charts and image strips the runs' analyses declared
/// (`ResultTable`, `ResultChart`, `ResultImageStrip`), drawn from their
/// results files alone, whatever the analysis: built-in or plugin.
struct DeclaredPictures {
    typealias Group = (name: String?, cells: [ReportBuilder.Cell])

    var cells: [ReportBuilder.Cell]
    var groups: [Group]
    /// Cells whose tables and image strips are shown.
    var tableCells: Int

    var blocks: [ReportDocument.Block] {
        var blocks: [ReportDocument.Block] = []
        for (number, (analysis, chart)) in declaredCharts.enumerated() {
            blocks += chartBlocks(chart, of: analysis, number: number)
        }
        return tableBlocks + blocks + stripBlocks
    }

    /// Every declared chart once, by title, with the analysis that declared it first.
    var declaredCharts: [(analysis: String, chart: ResultChart)] {
        var seen = Set<String>()
        var charts: [(String, ResultChart)] = []
        for record in cells.flatMap(\.records) {
            for analysis in record.results?.analyses ?? [] {
                for chart in analysis.charts where seen.insert(chart.title).inserted { charts.append((analysis.name, chart)) }
            }
        }
        return charts
    }

    /// Each declared table of the first complete run of each shown cell.
    var tableBlocks: [ReportDocument.Block] {
        var blocks: [ReportDocument.Block] = []
        for cell in cells.prefix(tableCells) {
            guard let results = cell.records.first(where: \.isComplete)?.results else { continue }
            for analysis in results.analyses {
                for table in analysis.tables {
                    blocks.append(.heading(2, "\(table.title) (\(analysis.name), \(cell.label))"))
                    if !table.caption.isEmpty { blocks.append(.paragraph(table.caption)) }
                    blocks.append(.table(header: table.header, rows: table.rows))
                }
            }
        }
        return blocks
    }

    /// Each declared image strip of the first complete run of each shown cell.
    var stripBlocks: [ReportDocument.Block] {
        var blocks: [ReportDocument.Block] = []
        for cell in cells.prefix(tableCells) {
            guard let record = cell.records.first(where: \.isComplete), let results = record.results else { continue }
            for analysis in results.analyses {
                for declared in analysis.imageStrips {
                    guard let tensor = record.array(declared.array, of: analysis.name), tensor.shape.count == 3 else { continue }
                    let (rows, columns, size) = (tensor.shape[0], tensor.shape[1], tensor.shape[2])
                    let tiles = (0..<rows).map { row in
                        (0..<columns).map { column in Array(tensor.scalars[((row * columns + column) * size)..<((row * columns + column + 1) * size)]) }
                    }
                    var strip = ImageStrip(tiles: tiles, sampleShape: declared.sampleShape)
                    if let range = declared.valueRange, range.count == 2 { strip.valueRange = range[0]...range[1] }
                    strip.columnTitles = declared.columnTitles
                    let name = "\(analysis.name)-\(blocks.count)"
                    let caption = "\(cell.label), \(declared.title): \(declared.caption)"
                    if declared.columnTitles.isEmpty, let png = strip.png {
                        blocks.append(.png(name: name, data: png, caption: caption))
                    } else if let svg = strip.svg {
                        blocks.append(.svg(name: name, text: svg, caption: caption))
                    }
                }
            }
        }
        return blocks
    }

    func chartBlocks(_ chart: ResultChart, of analysis: String, number: Int) -> [ReportDocument.Block] {
        switch chart.kind {
        case .line, .scatter:
            return groups.enumerated().compactMap { index, group in
                perCellChart(chart, of: analysis, group: group, name: "chart-\(number)-\(index)")
            }
        case .complexPlane: return complexPlane(chart, of: analysis, name: "chart-\(number)").map { [$0] } ?? []
        case .histogram: return histogram(chart, of: analysis, name: "chart-\(number)").map { [$0] } ?? []
        case .map:
            return cells.prefix(tableCells).enumerated().compactMap { index, cell in
                map(chart, of: analysis, cell: cell, name: "chart-\(number)-\(index)")
            }
        }
    }

    /// The (x, y) pairs of the cell's first complete run, a series per label
    /// (in label order), or one series when the chart names no labels.
    func map(_ chart: ResultChart, of analysis: String, cell: ReportBuilder.Cell, name: String) -> ReportDocument.Block? {
        guard let record = cell.records.first(where: \.isComplete), let pairs = record.array(chart.array, of: analysis),
              pairs.shape.last == 2 else { return nil }
        let values = pairs.scalars.map(Double.init)
        let points = stride(from: 0, to: values.count - 1, by: 2).map { (x: values[$0], y: values[$0 + 1]) }
        let labels = chart.labels.flatMap { record.array($0, of: analysis) }.map { $0.scalars.map { Int($0) } }
        let series: [SVGChart.Series]
        if let labels, labels.count == points.count {
            series = Set(labels).sorted().map { label in
                let name = chart.labelNames.flatMap { label >= 0 && label < $0.count ? $0[label] : nil } ?? String(label)
                return SVGChart.Series(label: name, points: zip(points, labels).filter { $0.1 == label }.map(\.0))
            }
        } else {
            series = [SVGChart.Series(label: cell.label, points: points)]
        }
        var svg = SVGChart(.map, title: chart.title, xLabel: chart.xLabel, yLabel: chart.yLabel, series: series)
        svg.height = 480
        return .svg(name: name, text: svg.svg, caption: Self.sentence(chart.caption) + "\(cell.label), \(points.count) points.")
    }

    /// One series per cell of the group: its first run that has the array, value against index (or the chart's x array).
    func perCellChart(_ chart: ResultChart, of analysis: String, group: Group, name: String) -> ReportDocument.Block? {
        let series = group.cells.compactMap { cell -> SVGChart.Series? in
            guard let (record, values) = cell.records.lazy.compactMap({ record in record.array(chart.array, of: analysis).map { (record, $0) } }).first
            else { return nil }
            let xs = chart.xArray.flatMap { record.array($0, of: analysis) }?.scalars.map(Double.init) ?? values.scalars.indices.map(Double.init)
            return SVGChart.Series(label: cell.label, points: zip(xs, values.scalars).map { ($0, Double($1)) })
        }
        guard !series.isEmpty else { return nil }
        var svg = SVGChart(chart.kind == .line ? .lines : .dots, title: chart.title + (group.name.map { " (\($0))" } ?? ""),
                           xLabel: chart.xLabel, yLabel: chart.yLabel, series: series)
        svg.guide = chart.guide
        svg.logY = Self.logarithmic(chart.yScale, series.flatMap(\.points).map(\.y))
        svg.logX = Self.logarithmic(chart.xScale ?? .linear, series.flatMap(\.points).map(\.x))
        svg.markers = chart.xArray != nil && chart.kind == .line
        return .svg(name: name, text: svg.svg, caption: Self.sentence(chart.caption) + "First repeat of each cell"
            + (group.name.map { ", variant \($0)" } ?? "") + ".")
    }

    /// (real, imaginary) pairs of the first run of each cell that has them, ten cells at most.
    func complexPlane(_ chart: ResultChart, of analysis: String, name: String) -> ReportDocument.Block? {
        let series = cells.compactMap { cell -> SVGChart.Series? in
            guard let values = cell.records.lazy.compactMap({ $0.array(chart.array, of: analysis) }).first else { return nil }
            let scalars = values.scalars.map(Double.init)
            return SVGChart.Series(label: cell.label, points: stride(from: 0, to: scalars.count - 1, by: 2).map { (scalars[$0], scalars[$0 + 1]) })
        }
        guard !series.isEmpty else { return nil }
        let svg = SVGChart(.complexPlane, title: chart.title, xLabel: chart.xLabel, yLabel: chart.yLabel, series: Array(series.prefix(10)))
        return .svg(name: name, text: svg.svg, caption: Self.sentence(chart.caption)
            + (series.count > 10 ? "The first 10 of \(series.count) cells." : "First repeat of each cell."))
    }

    /// The values of every run of a variant pooled, in 24 bins over the range of all of them.
    func histogram(_ chart: ResultChart, of analysis: String, name: String) -> ReportDocument.Block? {
        let pooled = groups.map { group in
            (group.name ?? "all runs", group.cells.flatMap(\.records).flatMap { record -> [Double] in
                (record.array(chart.array, of: analysis)?.scalars ?? []).map(Double.init).filter(\.isFinite)
            })
        }
        let all = pooled.flatMap(\.1)
        guard let low = all.min(), let top = all.max() else { return nil }
        let bins = 24
        let width = (max(top, low + 1e-9) - low) / Double(bins)
        let series = pooled.map { label, values in
            var counts = [Double](repeating: 0, count: bins)
            for value in values { counts[min(Int((value - low) / width), bins - 1)] += 1 }
            return SVGChart.Series(label: label, points: counts.enumerated().map { (low + Double($0.offset) * width, $0.element) })
        }
        var svg = SVGChart(.bars, title: chart.title, xLabel: chart.xLabel, yLabel: chart.yLabel, series: series)
        svg.guide = chart.guide
        return .svg(name: name, text: svg.svg, caption: Self.sentence(chart.caption) + "Every run" + (groups.count > 1 ? ", per variant." : "."))
    }

    static func logarithmic(_ scale: ResultChart.Scale, _ values: [Double]) -> Bool {
        switch scale {
        case .linear: return false
        case .log: return true
        case .auto:
            let positive = values.filter { $0 > 0 && $0.isFinite }
            return (positive.max() ?? 1) / max(positive.min() ?? 1, 1e-300) > 100
        }
    }

    static func sentence(_ caption: String) -> String { caption.isEmpty ? "" : caption + " " }
}
