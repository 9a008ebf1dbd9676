import Foundation

/// Small self-contained SVG charts for reports: lines (loss curves, log
/// scale), dots (spectral radius per point), points in the complex plane
/// (eigenvalues, with the unit circle) and histograms. Every chart has
/// labelled axes and a legend when it shows more than one series.
public struct SVGChart {
    public struct Series {
        public var label: String
        public var points: [(x: Double, y: Double)]
        public init(label: String, points: [(x: Double, y: Double)]) {
            self.label = label
            self.points = points
        }
    }

    public enum Kind { case lines, dots, complexPlane, bars }

    public var kind: Kind
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var logY = false
    /// Dashed guide lines, as y = value (or x = value for complex planes and bars).
    public var guide: Double?
    public var width = 640.0
    public var height = 340.0

    public init(_ kind: Kind, title: String, xLabel: String, yLabel: String, series: [Series]) {
        self.kind = kind
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
    static func color(_ index: Int) -> String { palette[index % palette.count] }

    public var svg: String {
        let (left, right, top, bottom) = (70.0, series.count > 1 ? 170.0 : 20.0, 30.0, 45.0)
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let all = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite && (!logY || $0.y > 0) }
        var xs = all.map(\.x), ys = all.map { logY ? log10($0.y) : $0.y }
        if kind == .complexPlane { xs += [-1, 1]; ys += [-1, 1] }
        if kind == .bars {  // each bar spans [x, x + step): the last one needs room on the right
            ys.append(0)
            let lefts = series.flatMap(\.points).map(\.x).sorted()
            if let last = lefts.last { xs.append(last + (lefts.count > 1 ? lefts[1] - lefts[0] : 1)) }
        }
        if let guide { if kind == .complexPlane || kind == .bars { xs.append(guide) } else { ys.append(logY ? log10(guide) : guide) } }
        var (xLow, xHigh) = (xs.min() ?? 0, xs.max() ?? 1)
        var (yLow, yHigh) = (ys.min() ?? 0, ys.max() ?? 1)
        if xHigh - xLow < 1e-12 { (xLow, xHigh) = (xLow - 1, xHigh + 1) }
        if yHigh - yLow < 1e-12 { (yLow, yHigh) = (yLow - 1, yHigh + 1) }
        if kind == .complexPlane {  // equal scales, so the unit circle is round
            let span = max(xHigh - xLow, yHigh - yLow) * 1.05
            (xLow, xHigh) = ((xLow + xHigh - span) / 2, (xLow + xHigh + span) / 2)
            (yLow, yHigh) = ((yLow + yHigh - span) / 2, (yLow + yHigh + span) / 2)
        } else {
            let pad = (yHigh - yLow) * 0.05
            (yLow, yHigh) = (kind == .bars ? 0 : yLow - pad, yHigh + pad)
        }
        let px = { (x: Double) in left + (x - xLow) / (xHigh - xLow) * plotWidth }
        let py = { (y: Double) in top + (1 - (y - yLow) / (yHigh - yLow)) * plotHeight }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        out += "<text x=\"\(f(width / 2))\" y=\"18\" text-anchor=\"middle\" font-size=\"13\">\(XMLText.escaped(title))</text>\n"
        out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"#444\"/>\n"
        for tick in Self.ticks(xLow, xHigh) {
            out += "<line x1=\"\(f(px(tick)))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(px(tick)))\" y2=\"\(f(top + plotHeight + 4))\" stroke=\"#444\"/>"
                + "<text x=\"\(f(px(tick)))\" y=\"\(f(top + plotHeight + 16))\" text-anchor=\"middle\">\(Self.label(tick))</text>\n"
        }
        for tick in logY ? Self.logTicks(yLow, yHigh) : Self.ticks(yLow, yHigh) {
            let text = logY ? Self.label(pow(10, tick)) : Self.label(tick)
            out += "<line x1=\"\(f(left - 4))\" y1=\"\(f(py(tick)))\" x2=\"\(f(left))\" y2=\"\(f(py(tick)))\" stroke=\"#444\"/>"
                + "<text x=\"\(f(left - 6))\" y=\"\(f(py(tick) + 4))\" text-anchor=\"end\">\(text)</text>\n"
        }
        out += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 8))\" text-anchor=\"middle\">\(XMLText.escaped(xLabel))</text>\n"
        out += "<text transform=\"translate(14 \(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(XMLText.escaped(yLabel))</text>\n"
        if kind == .complexPlane {
            let radius = 1 / (xHigh - xLow) * plotWidth
            out += "<circle cx=\"\(f(px(0)))\" cy=\"\(f(py(0)))\" r=\"\(f(radius))\" fill=\"none\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n"
        }
        if let guide {
            if kind == .complexPlane || kind == .bars {
                out += "<line x1=\"\(f(px(guide)))\" y1=\"\(f(top))\" x2=\"\(f(px(guide)))\" y2=\"\(f(top + plotHeight))\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n"
            } else {
                let y = py(logY ? log10(guide) : guide)
                out += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y))\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n"
            }
        }
        out += "<g>\n"
        for (index, item) in series.enumerated() {
            let color = Self.color(index)
            let points = item.points.filter { $0.x.isFinite && $0.y.isFinite && (!logY || $0.y > 0) }
            switch kind {
            case .lines:
                let path = points.map { "\(f(px($0.x))),\(f(py(logY ? log10($0.y) : $0.y)))" }.joined(separator: " ")
                out += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.3\" points=\"\(path)\"/>\n"
            case .dots, .complexPlane:
                for point in points {
                    out += "<circle cx=\"\(f(px(point.x)))\" cy=\"\(f(py(logY ? log10(point.y) : point.y)))\" r=\"2.6\" fill=\"\(color)\" fill-opacity=\"0.75\"/>"
                }
                out += "\n"
            case .bars:
                let step = points.count > 1 ? points[1].x - points[0].x : 1
                let barWidth = max(1, step / (xHigh - xLow) * plotWidth / Double(series.count) - 1)
                for point in points {
                    let x = px(point.x) + Double(index) * barWidth
                    out += "<rect x=\"\(f(x))\" y=\"\(f(py(point.y)))\" width=\"\(f(barWidth))\" height=\"\(f(py(0) - py(point.y)))\" fill=\"\(color)\" fill-opacity=\"0.8\"/>"
                }
                out += "\n"
            }
        }
        out += "</g>\n"
        if series.count > 1 {
            for (index, item) in series.enumerated() {
                let y = top + 8 + Double(index) * 15
                out += "<rect x=\"\(f(width - right + 12))\" y=\"\(f(y - 8))\" width=\"10\" height=\"10\" fill=\"\(Self.color(index))\"/>"
                    + "<text x=\"\(f(width - right + 27))\" y=\"\(f(y + 1))\">\(XMLText.escaped(String(item.label.prefix(24))))</text>\n"
            }
        }
        return out + "</svg>\n"
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }

    /// About five round ticks between `low` and `high`.
    static func ticks(_ low: Double, _ high: Double) -> [Double] {
        let raw = (high - low) / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        // Multiples of the step, each computed afresh so no rounding error accumulates.
        let first = Int(ceil(low / step - 1e-9)), last = Int(floor(high / step + 1e-9))
        return first <= last ? (first...last).map { Double($0) * step } : []
    }

    /// Whole powers of ten in a log10 range (at least the ends when none fall inside).
    static func logTicks(_ low: Double, _ high: Double) -> [Double] {
        let powers = Array(stride(from: ceil(low), through: floor(high), by: 1))
        return powers.isEmpty ? [low, high] : powers
    }

    static func label(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude != 0, magnitude < 1e-3 || magnitude >= 1e5 { return String(format: "%.0e", value) }
        return String(format: "%g", (value * 1e4).rounded() / 1e4)
    }
}
