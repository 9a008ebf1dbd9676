import Foundation

/// Small self-contained SVG charts for reports: lines (loss curves, log
/// scale; means with a spread band or error bars), dots (spectral radius per
/// point), points in the complex plane (eigenvalues, with the unit circle,
/// one data unit as long across as up), maps (latent codes, a colour per
/// class) and histograms. Every chart has labelled axes, a legend when it
/// shows more than one series (or a note on what its spread is), and draws
/// its data clipped to the plot's frame.
public struct SVGChart {
    public struct Series {
        public var label: String
        public var points: [(x: Double, y: Double)]
        /// Drawn dashed (lines only): a second measure of the same runs, as held-out loss beside training loss.
        public var dashed: Bool
        /// Per point, the range drawn around it (min–max, a confidence interval); nil: none.
        public var spread: [(low: Double, high: Double)]?
        public init(label: String, points: [(x: Double, y: Double)], dashed: Bool = false,
                    spread: [(low: Double, high: Double)]? = nil) {
            self.label = label
            self.points = points
            self.dashed = dashed
            self.spread = spread
        }
    }

    public enum Kind { case lines, dots, complexPlane, bars, map }
    /// How a line's spread is drawn: a shaded band between its ends, or a bar at each point.
    public enum SpreadStyle { case band, errorBars }

    /// The plot's rectangle in pixels and the data ranges it shows (log10 of y on a log axis).
    struct Frame {
        var left, top, width, height: Double
        var xLow, xHigh, yLow, yHigh: Double

        func px(_ x: Double) -> Double { left + (x - xLow) / (xHigh - xLow) * width }
        func py(_ y: Double) -> Double { top + (1 - (y - yLow) / (yHigh - yLow)) * height }
    }

    public var kind: Kind
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var logY = false
    public var logX = false
    /// Lines only: a dot at every point (for means at a few swept values).
    public var markers = false
    public var spreadStyle = SpreadStyle.band
    /// Said under the legend: what the spread is.
    public var legendNote: String?
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
        let frame = frame()
        // Charts share one HTML page, so each clip path needs an id of its own.
        let clip = "plot-" + Self.identifier(for: "\(kind) \(title) \(xLabel) \(yLabel) \(series.count)")
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">\n"
        out += "<defs><clipPath id=\"\(clip)\"><rect x=\"\(f(frame.left))\" y=\"\(f(frame.top))\" width=\"\(f(frame.width))\" "
            + "height=\"\(f(frame.height))\"/></clipPath></defs>\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        out += "<text x=\"\(f(width / 2))\" y=\"18\" text-anchor=\"middle\" font-size=\"13\">\(XMLText.escaped(title))</text>\n"
        out += "<rect x=\"\(f(frame.left))\" y=\"\(f(frame.top))\" width=\"\(f(frame.width))\" height=\"\(f(frame.height))\" fill=\"none\" stroke=\"#444\"/>\n"
        out += axes(frame)
        out += "<g clip-path=\"url(#\(clip))\">\n" + guides(frame) + data(frame) + "</g>\n"
        return out + legend() + "</svg>\n"
    }

    /// The data ranges: every finite point, the unit circle, bars from zero and the guide inside.
    func frame() -> Frame {
        let (left, right, top, bottom) = (70.0, hasLegend ? 170.0 : 20.0, 30.0, 45.0)
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let all = series.flatMap { drawable($0.points) + drawableSpreadEnds($0) }
        var xs = all.map { xValue($0.x) }, ys = all.map { yValue($0.y) }
        if kind == .complexPlane { xs += [-1, 1]; ys += [-1, 1] }
        if kind == .bars {  // each bar spans [x, x + step): the last one needs room on the right
            ys.append(0)
            if let last = xs.max() { xs.append(last + barStep) }
        }
        if let guide { if kind == .complexPlane || kind == .bars { xs.append(guide) } else { ys.append(yValue(guide)) } }
        var (xLow, xHigh) = (xs.min() ?? 0, xs.max() ?? 1)
        var (yLow, yHigh) = (ys.min() ?? 0, ys.max() ?? 1)
        if xHigh - xLow < 1e-12 { (xLow, xHigh) = (xLow - 1, xHigh + 1) }
        if yHigh - yLow < 1e-12 { (yLow, yHigh) = (yLow - 1, yHigh + 1) }
        if kind == .complexPlane {  // as many pixels per unit across as up, so the unit circle is round
            let unit = max((xHigh - xLow) / plotWidth, (yHigh - yLow) / plotHeight) * 1.05
            (xLow, xHigh) = ((xLow + xHigh - unit * plotWidth) / 2, (xLow + xHigh + unit * plotWidth) / 2)
            (yLow, yHigh) = ((yLow + yHigh - unit * plotHeight) / 2, (yLow + yHigh + unit * plotHeight) / 2)
        } else if logY {  // whole decades, so both ends are labelled
            (yLow, yHigh) = (floor(yLow), ceil(yHigh))
        } else {
            let pad = (yHigh - yLow) * 0.05
            (yLow, yHigh) = (kind == .bars ? 0 : yLow - pad, yHigh + pad)
        }
        if logX { (xLow, xHigh) = (floor(xLow), ceil(xHigh)) }
        if markers {  // room for the dots at both ends
            let pad = (xHigh - xLow) * 0.04
            (xLow, xHigh) = (xLow - pad, xHigh + pad)
        }
        return Frame(left: left, top: top, width: plotWidth, height: plotHeight, xLow: xLow, xHigh: xHigh, yLow: yLow, yHigh: yHigh)
    }

    /// Finite points, and on a log axis only positive values.
    func drawable(_ points: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
        points.filter(isDrawable)
    }

    func isDrawable(_ point: (x: Double, y: Double)) -> Bool {
        point.x.isFinite && point.y.isFinite && (!logY || point.y > 0) && (!logX || point.x > 0)
    }

    /// (x, low) and (x, high) of every drawable point whose spread ends are drawable.
    func drawableSpreadEnds(_ item: Series) -> [(x: Double, y: Double)] {
        spreadRanges(item).flatMap { [(x: $0.x, y: $0.low), (x: $0.x, y: $0.high)] }
    }

    /// Each drawable point's x with its spread's ends, in data units.
    func spreadRanges(_ item: Series) -> [(x: Double, low: Double, high: Double)] {
        guard let spread = item.spread else { return [] }
        return zip(item.points, spread).filter { isDrawable($0.0) && isDrawable(($0.0.x, $0.1.low)) && isDrawable(($0.0.x, $0.1.high)) }
            .map { (x: $0.0.x, low: $0.1.low, high: $0.1.high) }
    }

    func xValue(_ x: Double) -> Double { logX ? log10(x) : x }
    func yValue(_ y: Double) -> Double { logY ? log10(y) : y }

    var hasLegend: Bool { series.count > 1 || legendNote != nil }

    /// A histogram bin's width: the smallest gap between the bars' left edges (1 for a single bar).
    var barStep: Double {
        let lefts = Set(series.flatMap { drawable($0.points) }.map(\.x)).sorted()
        return zip(lefts, lefts.dropFirst()).map { $1 - $0 }.min() ?? 1
    }

    func axes(_ frame: Frame) -> String {
        var out = ""
        let bottom = frame.top + frame.height
        for tick in logX ? Self.logTicks(frame.xLow, frame.xHigh) : Self.ticks(frame.xLow, frame.xHigh) {
            let text = Self.label(logX ? pow(10, tick) : tick)
            out += "<line x1=\"\(f(frame.px(tick)))\" y1=\"\(f(bottom))\" x2=\"\(f(frame.px(tick)))\" y2=\"\(f(bottom + 4))\" stroke=\"#444\"/>"
                + "<text x=\"\(f(frame.px(tick)))\" y=\"\(f(bottom + 16))\" text-anchor=\"middle\">\(text)</text>\n"
        }
        for tick in logY ? Self.logTicks(frame.yLow, frame.yHigh) : Self.ticks(frame.yLow, frame.yHigh) {
            let text = Self.label(logY ? pow(10, tick) : tick)
            out += "<line x1=\"\(f(frame.left - 4))\" y1=\"\(f(frame.py(tick)))\" x2=\"\(f(frame.left))\" y2=\"\(f(frame.py(tick)))\" stroke=\"#444\"/>"
                + "<text x=\"\(f(frame.left - 6))\" y=\"\(f(frame.py(tick) + 4))\" text-anchor=\"end\">\(text)</text>\n"
        }
        out += "<text x=\"\(f(frame.left + frame.width / 2))\" y=\"\(f(height - 8))\" text-anchor=\"middle\">\(XMLText.escaped(xLabel))</text>\n"
        return out + "<text transform=\"translate(14 \(f(frame.top + frame.height / 2))) rotate(-90)\" text-anchor=\"middle\">\(XMLText.escaped(yLabel))</text>\n"
    }

    /// The unit circle of a complex plane, in data coordinates, and the dashed guide line.
    func guides(_ frame: Frame) -> String {
        var out = ""
        if kind == .complexPlane {
            let circle = (0...120).map { step -> String in
                let angle = Double(step) / 120 * 2 * Double.pi
                return "\(f(frame.px(cos(angle)))),\(f(frame.py(sin(angle))))"
            }
            out += "<polyline class=\"unit-circle\" fill=\"none\" stroke=\"#999\" stroke-dasharray=\"4 3\" points=\"\(circle.joined(separator: " "))\"/>\n"
        }
        guard let guide else { return out }
        if kind == .complexPlane || kind == .bars {
            return out + "<line x1=\"\(f(frame.px(guide)))\" y1=\"\(f(frame.top))\" x2=\"\(f(frame.px(guide)))\" y2=\"\(f(frame.top + frame.height))\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n"
        }
        let y = frame.py(yValue(guide))
        return out + "<line x1=\"\(f(frame.left))\" y1=\"\(f(y))\" x2=\"\(f(frame.left + frame.width))\" y2=\"\(f(y))\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n"
    }

    func data(_ frame: Frame) -> String {
        var out = ""
        let barWidth = max(1, barStep / (frame.xHigh - frame.xLow) * frame.width / Double(max(series.count, 1)) - 1)
        for (index, item) in series.enumerated() {
            let color = Self.color(index)
            let pixels = drawable(item.points).map { (x: frame.px(xValue($0.x)), y: frame.py(yValue($0.y))) }
            switch kind {
            case .lines:
                out += spread(of: item, color: color, frame)
                let path = Self.thinned(pixels).map { "\(f($0.x)),\(f($0.y))" }.joined(separator: " ")
                let dash = item.dashed ? " stroke-dasharray=\"5 3\"" : ""
                out += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.3\"\(dash) points=\"\(path)\"/>\n"
                if markers { out += pixels.map { "<circle cx=\"\(f($0.x))\" cy=\"\(f($0.y))\" r=\"3\" fill=\"\(color)\"/>" }.joined() + "\n" }
            case .dots, .complexPlane:
                out += pixels.map { "<circle cx=\"\(f($0.x))\" cy=\"\(f($0.y))\" r=\"2.6\" fill=\"\(color)\" fill-opacity=\"0.75\"/>" }.joined() + "\n"
            case .map:  // many points: smaller and fainter, so dense clusters keep their shape
                out += pixels.map { "<circle cx=\"\(f($0.x))\" cy=\"\(f($0.y))\" r=\"1.8\" fill=\"\(color)\" fill-opacity=\"0.6\"/>" }.joined() + "\n"
            case .bars:
                let base = frame.py(0)
                out += pixels.map { point in
                    "<rect x=\"\(f(point.x + Double(index) * barWidth))\" y=\"\(f(point.y))\" width=\"\(f(barWidth))\" "
                        + "height=\"\(f(base - point.y))\" fill=\"\(color)\" fill-opacity=\"0.8\"/>"
                }.joined() + "\n"
            }
        }
        return out
    }

    /// A line's spread: a translucent band through its ends, or a capped bar at each point.
    func spread(of item: Series, color: String, _ frame: Frame) -> String {
        let ranges = spreadRanges(item).map { (x: frame.px(xValue($0.x)), low: frame.py(yValue($0.low)), high: frame.py(yValue($0.high))) }
        guard !ranges.isEmpty else { return "" }
        switch spreadStyle {
        case .band:
            let outline = ranges.map { "\(f($0.x)),\(f($0.high))" } + ranges.reversed().map { "\(f($0.x)),\(f($0.low))" }
            return "<polygon class=\"spread-band\" fill=\"\(color)\" fill-opacity=\"0.18\" stroke=\"none\" points=\"\(outline.joined(separator: " "))\"/>\n"
        case .errorBars:
            return ranges.map { range in
                "<path class=\"error-bar\" stroke=\"\(color)\" fill=\"none\" d=\"M\(f(range.x)),\(f(range.low))V\(f(range.high))"
                    + "M\(f(range.x - 4)),\(f(range.low))H\(f(range.x + 4))M\(f(range.x - 4)),\(f(range.high))H\(f(range.x + 4))\"/>"
            }.joined() + "\n"
        }
    }

    func legend() -> String {
        guard hasLegend else { return "" }
        let right = width - 170
        var out = series.count < 2 ? "" : series.enumerated().map { index, item in
            let y = 30 + 8 + Double(index) * 15
            return "<rect x=\"\(f(right + 12))\" y=\"\(f(y - 8))\" width=\"10\" height=\"10\" fill=\"\(Self.color(index))\"/>"
                + "<text x=\"\(f(right + 27))\" y=\"\(f(y + 1))\">\(XMLText.escaped(String(item.label.prefix(24))))</text>\n"
        }.joined()
        guard let legendNote else { return out }
        let top = 30 + 8 + Double(series.count < 2 ? 0 : series.count) * 15 + 6
        for (index, line) in Self.wrapped(legendNote, width: 26).enumerated() {
            out += "<text class=\"legend-note\" x=\"\(f(right + 12))\" y=\"\(f(top + Double(index) * 13))\" fill=\"#555\">\(XMLText.escaped(line))</text>\n"
        }
        return out
    }

    /// Words in lines of at most `width` characters (a longer word stands alone).
    static func wrapped(_ text: String, width: Int) -> [String] {
        text.split(separator: " ").reduce(into: [String]()) { lines, word in
            if let last = lines.last, last.count + 1 + word.count <= width { lines[lines.count - 1] = last + " " + word } else { lines.append(String(word)) }
        }
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }

    /// A polyline's points (in pixels) cut to what the line looks like: in
    /// each pixel column the first, lowest, highest and last point, in their
    /// order. At most four points per column, and every extreme is kept.
    static func thinned(_ points: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
        var kept: [(x: Double, y: Double)] = []
        var start = 0
        while start < points.count {
            let column = points[start].x.rounded(.down)
            var end = start
            while end + 1 < points.count, points[end + 1].x.rounded(.down) == column { end += 1 }
            let run = start...end
            let lowest = run.min { points[$0].y < points[$1].y }!, highest = run.max { points[$0].y < points[$1].y }!
            for index in Set([start, lowest, highest, end]).sorted() { kept.append(points[index]) }
            start = end + 1
        }
        return kept
    }

    /// About five round ticks between `low` and `high`.
    static func ticks(_ low: Double, _ high: Double) -> [Double] {
        let raw = (high - low) / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        // Multiples of the step, each computed afresh so no rounding error accumulates.
        let first = Int(ceil(low / step - 1e-9)), last = Int(floor(high / step + 1e-9))
        return first <= last ? (first...last).map { Double($0) * step } : []
    }

    /// Every whole power of ten in a log10 range, with 2 and 5 times each
    /// between them when the range spans fewer than three decades.
    static func logTicks(_ low: Double, _ high: Double) -> [Double] {
        let powers = Array(stride(from: ceil(low - 1e-9), through: floor(high + 1e-9), by: 1))
        guard high - low < 3 else { return powers }
        var ticks = powers
        for decade in Int(floor(low))...Int(ceil(high)) {
            let inside = [log10(2.0), log10(5.0)].map { $0 + Double(decade) }.filter { $0 >= low - 1e-9 && $0 <= high + 1e-9 }
            ticks += inside
        }
        return ticks.sorted()
    }

    static func label(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude != 0, magnitude < 1e-3 || magnitude >= 1e5 { return String(format: "%.0e", value) }
        return String(format: "%g", (value * 1e4).rounded() / 1e4)
    }

    /// A short, stable name for `text` (FNV-1a), the same in every process.
    static func identifier(for text: String) -> String {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        return String(hash, radix: 16)
    }
}
