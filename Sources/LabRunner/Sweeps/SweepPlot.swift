import LabCore

/// A chart the report draws of one analysis's summary value, or of a
/// training measure (the last epoch's loss or held-out loss), against a grid
/// key, one line per value of another, each point the mean over a cell's
/// complete repeats with their spread. Declared in the config's `report`
/// block:
///
///     report:
///       plots:
///         - {y: jacobian_spectrum.radius_max, x: data.radius, lines: model.mlp.width,
///            title: Largest eigenvalue modulus, x_scale: log, spread: ci95}
///         - {y: heldout_loss, x: model.mlp.width, lines: model.mlp.depth}
public struct SweepPlot: Codable, Sendable, Equatable {
    public enum Spread: String, Codable, Sendable, CaseIterable {
        case minMax = "min_max", ci95, none
    }

    public enum SpreadStyle: String, Codable, Sendable, CaseIterable {
        case band, errorBars = "error_bars"
    }

    /// What metrics.csv holds of each run at its last epoch.
    public enum TrainingMeasure: String, Codable, Sendable, CaseIterable {
        case loss, heldoutLoss = "heldout_loss"
    }

    /// The analysis and its summary key, as results.json holds them; empty for a training measure.
    public var analysis: String
    public var key: String
    public var measure: TrainingMeasure?
    public var x: String
    public var lines: String?
    public var title: String
    public var xScale: ResultChart.Scale
    public var yScale: ResultChart.Scale
    public var spread: Spread
    public var spreadStyle: SpreadStyle
    /// Where `y` is written: the report names it when no run's results hold the key.
    public var yLocation: SourceLocation
    public var yKeyPath: String

    public var y: String { measure?.rawValue ?? "\(analysis).\(key)" }

    static let keys = ["y", "x", "lines", "title", "x_scale", "y_scale", "spread", "spread_style"]

    /// The `plots` list of a report block, checked against the grid (x and
    /// lines are grid keys, x's values numbers), the analyses the sweep's
    /// points run and whether they all take a held-out loss.
    static func read(_ node: ConfigNode?, grid: [(keyPath: String, values: [ConfigNode])], analyses: [String],
                     evaluated: Bool) throws -> [SweepPlot] {
        guard let node else { return [] }
        guard case .sequence(let items) = node.content else {
            throw node.error("expected a list of plots, got \(node.summary)", allowed: "a list of {y: ANALYSIS.KEY, x: GRID KEY, lines: GRID KEY}")
        }
        return try items.map { try read(plot: $0, grid: grid, analyses: analyses, evaluated: evaluated) }
    }

    static func read(plot node: ConfigNode, grid: [(keyPath: String, values: [ConfigNode])], analyses: [String],
                     evaluated: Bool) throws -> SweepPlot {
        let config = try ConfigReader(node)
        let gridKeys = grid.map(\.keyPath)
        let yNode = try required(config, "y", expected: "ANALYSIS.SUMMARY_KEY, e.g. jacobian_spectrum.radius_max, or loss or heldout_loss")
        let measure = try trainingMeasure(yNode, evaluated: evaluated)
        let (analysis, key) = measure == nil ? try analysisAndKey(yNode, analyses: analyses) : ("", "")
        let xNode = try required(config, "x", expected: gridKeys.isEmpty ? "none: the sweep has no grid" : gridKeys.joined(separator: ", "))
        let x = try gridKey(xNode, gridKeys: gridKeys)
        let xScale = try scale(config, "x_scale")
        try checkNumbers(grid.first { $0.keyPath == x }!.values, of: x, positive: xScale == .log, plot: xNode)
        let lines = try config.node("lines").map { lineNode -> String in
            let lines = try gridKey(lineNode, gridKeys: gridKeys)
            guard lines != x else { throw lineNode.error("lines must be another grid key than x (\(x))", allowed: gridKeys.filter { $0 != x }.joined(separator: ", ")) }
            return lines
        }
        let plot = SweepPlot(
            analysis: analysis, key: key, measure: measure, x: x, lines: lines,
            title: try config.string("title", default: "\(measure?.rawValue ?? "\(analysis).\(key)") against \(x)"),
            xScale: xScale, yScale: try scale(config, "y_scale"),
            spread: Spread(rawValue: try config.string("spread", default: "min_max", allowed: Spread.allCases.map(\.rawValue)))!,
            spreadStyle: SpreadStyle(rawValue: try config.string("spread_style", default: "band", allowed: SpreadStyle.allCases.map(\.rawValue)))!,
            yLocation: yNode.location, yKeyPath: yNode.keyPath)
        try config.finish()
        return plot
    }

    static func required(_ config: ConfigReader, _ key: String, expected: String) throws -> ConfigNode {
        guard let node = config.node(key) else { throw config.missing(key, expected: expected) }
        return node
    }

    static func scale(_ config: ConfigReader, _ key: String) throws -> ResultChart.Scale {
        ResultChart.Scale(rawValue: try config.string(key, default: "auto", allowed: ["linear", "log", "auto"]))!
    }

    /// A `y` without a dot names a training measure; heldout_loss needs every point to have an `evaluation` block.
    static func trainingMeasure(_ node: ConfigNode, evaluated: Bool) throws -> TrainingMeasure? {
        guard case .scalar(let text) = node.content, !text.contains(".") else { return nil }
        let names = TrainingMeasure.allCases.map(\.rawValue)
        guard let measure = TrainingMeasure(rawValue: text) else {
            throw node.error("'\(text)' is neither ANALYSIS.SUMMARY_KEY nor a training measure\(ConfigReader.suggestion(for: text, among: names))",
                             allowed: "ANALYSIS.SUMMARY_KEY, or a training measure: " + names.joined(separator: ", "))
        }
        guard measure != .heldoutLoss || evaluated else {
            throw node.error("heldout_loss needs an evaluation block in every point's config, which this sweep does not have",
                             allowed: "loss, or an `evaluation: {data: ..., every: N}` block beside training")
        }
        return measure
    }

    /// `analysis.key`: the analysis one the points run (as results name it), the key anything after the first dot.
    static func analysisAndKey(_ node: ConfigNode, analyses: [String]) throws -> (String, String) {
        let allowed = "ANALYSIS.SUMMARY_KEY with ANALYSIS one of the sweep's analyses: "
            + (analyses.isEmpty ? "none listed" : analyses.joined(separator: ", "))
        guard case .scalar(let text) = node.content, let dot = text.firstIndex(of: "."), dot != text.startIndex, dot != text.index(before: text.endIndex)
        else { throw node.error("expected ANALYSIS.SUMMARY_KEY, got \(node.summary)", allowed: allowed) }
        let analysis = String(text[..<dot])
        guard analyses.contains(analysis) else {
            throw node.error("no analysis '\(analysis)' in the sweep's analyses\(ConfigReader.suggestion(for: analysis, among: analyses))", allowed: allowed)
        }
        return (analysis, String(text[text.index(after: dot)...]))
    }

    static func gridKey(_ node: ConfigNode, gridKeys: [String]) throws -> String {
        guard case .scalar(let keyPath) = node.content, gridKeys.contains(keyPath) else {
            let suggestion = if case .scalar(let text) = node.content { ConfigReader.suggestion(for: text, among: gridKeys) } else { "" }
            throw node.error("must name one of the sweep's grid keys, got \(node.summary)\(suggestion)",
                             allowed: gridKeys.isEmpty ? "none: the sweep has no grid" : gridKeys.joined(separator: ", "))
        }
        return keyPath
    }

    /// Points are placed at x's values: each must be a number (and positive on a log axis).
    static func checkNumbers(_ values: [ConfigNode], of keyPath: String, positive: Bool, plot: ConfigNode) throws {
        for value in values {
            guard case .scalar(let text) = value.content, let number = Double(text), number.isFinite, !positive || number > 0 else {
                throw plot.error("\(keyPath) takes \(value.summary) (\(value.location)), and x must be a grid key of numbers"
                    + (positive ? " above 0 on a log axis" : ""), allowed: positive ? "numbers > 0, or x_scale linear" : "a grid key whose values are numbers")
            }
        }
    }

    /// The names the points' analyses have in results.json: each listed type, `name_2` for its second listing.
    static func analysisNames(_ configs: [ConfigNode]) -> [String] {
        var names: [String] = []
        for config in configs {
            guard case .sequence(let items)? = config["analyses"]?.content else { continue }
            var seen: [String: Int] = [:]
            for item in items {
                let type: String?
                switch item.content {
                case .scalar(let name): type = name
                case .mapping: if case .scalar(let name)? = item["type"]?.content { type = name } else { type = nil }
                default: type = nil
                }
                guard let type else { continue }
                seen[type, default: 0] += 1
                let name = seen[type]! == 1 ? type : "\(type)_\(seen[type]!)"
                if !names.contains(name) { names.append(name) }
            }
        }
        return names
    }
}
