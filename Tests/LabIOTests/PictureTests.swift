import CZlib
import Foundation
import Testing

@testable import LabIO

/// Pictures for reports: PNGs that decode to the pixels given, charts that draw every series.
@Suite struct PictureTests {
    /// Reads a PNG back with zlib alone: signature, chunk checksums, header, pixels.
    func decode(_ png: Data) throws -> (width: Int, height: Int, rgb: [UInt8]) {
        let bytes = [UInt8](png)
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var offset = 8
        var (width, height) = (0, 0)
        var compressed: [UInt8] = []
        let be32 = { (at: Int) in Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) }
        while offset < bytes.count {
            let length = be32(offset)
            let typed = Array(bytes[(offset + 4)..<(offset + 8 + length)])
            #expect(UInt32(be32(offset + 8 + length)) == UInt32(crc32(0, typed, uInt(typed.count))), "chunk checksum")
            let type = String(decoding: typed.prefix(4), as: UTF8.self)
            if type == "IHDR" { (width, height) = (be32(offset + 8), be32(offset + 12)) }
            if type == "IDAT" { compressed += typed.dropFirst(4) }
            offset += 12 + length
        }
        var size = uLong(height * (width * 3 + 1))
        var raw = [UInt8](repeating: 0, count: Int(size))
        #expect(uncompress(&raw, &size, compressed, uLong(compressed.count)) == Z_OK)
        let rgb = (0..<height).flatMap { row -> [UInt8] in
            #expect(raw[row * (width * 3 + 1)] == 0, "filter type")
            return Array(raw[(row * (width * 3 + 1) + 1)..<((row + 1) * (width * 3 + 1))])
        }
        return (width, height, rgb)
    }

    @Test func pngDecodesToTheGivenPixels() throws {
        let rgb = (0..<(7 * 5 * 3)).map { UInt8(($0 * 37) % 256) }
        let decoded = try decode(PNGEncoder.encode(width: 7, height: 5, rgb: rgb))
        #expect(decoded.width == 7 && decoded.height == 5 && decoded.rgb == rgb)
    }

    /// A grey 2 x 2 image, zoomed 3x, one tile: pixel values land where they belong.
    @Test func imageStripPlacesEachSamplePixel() throws {
        var strip = ImageStrip(tiles: [[[0, 1, 0.5, 0.25]]], sampleShape: [2, 2, 1])
        strip.zoom = 3
        strip.gap = 1
        let image = try decode(try #require(strip.png))
        #expect(image.width == 1 + 6 + 1 && image.height == 8)
        let pixel = { (x: Int, y: Int) in image.rgb[(y * image.width + x) * 3] }
        #expect(pixel(0, 0) == 255)  // the gap
        #expect(pixel(1, 1) == 0 && pixel(4, 1) == 255 && pixel(1, 4) == 128 && pixel(6, 6) == 64)
        #expect(ImageStrip.imageShape(of: [784])! == (28, 28, 1) && ImageStrip.imageShape(of: [3072])! == (32, 32, 3))
        #expect(ImageStrip.imageShape(of: [10]) == nil)
    }

    /// A fixed value range draws every tile on it, clipping beyond; without one, a large value darkens the rest.
    @Test func imageStripsClipToAGivenRangeAndTitleTheirColumns() throws {
        var strip = ImageStrip(tiles: [[[0, 0.5, 1, 5]]], sampleShape: [2, 2, 1])
        strip.zoom = 1
        strip.gap = 0
        let levels = { (strip: ImageStrip) in try self.decode(try #require(strip.png)).rgb.enumerated().filter { $0.offset % 3 == 0 }.map(\.element) }
        #expect(try levels(strip) == [0, 26, 51, 255])
        strip.valueRange = 0...1
        #expect(try levels(strip) == [0, 128, 255, 255])
        strip.columnTitles = ["image", "f²"]
        let svg = try #require(strip.svg)
        #expect(svg.contains(">image</text>") && !svg.contains(">f²</text>"), "one column, one title")
        #expect(svg.contains("data:image/png;base64,\(try #require(strip.png).base64EncodedString())"))
    }

    @Test func chartsDrawEverySeriesWithALegend() {
        let series = (0..<3).map { index in
            SVGChart.Series(label: "cell \(index)", points: (1...10).map { (Double($0), pow(0.5, Double($0 + index))) })
        }
        var chart = SVGChart(.lines, title: "loss", xLabel: "epoch", yLabel: "loss", series: series)
        chart.logY = true
        let svg = chart.svg
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 3)
        #expect(svg.contains(">cell 2</text>") && svg.contains(">0.01</text>"))
        #expect(SVGChart.ticks(0, 1).map(SVGChart.label) == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        #expect(SVGChart.ticks(-3, 47).map(SVGChart.label) == ["0", "10", "20", "30", "40"])
    }

    /// On a log x axis 1, 10 and 100 sit equally far apart; a band runs
    /// through the spread's ends (highs left to right, lows back) and error
    /// bars span them, in the same pixels as the line's points.
    @Test func meansWithSpreadOnALogAxis() {
        let series = SVGChart.Series(label: "mean", points: [(1, 2), (10, 3), (100, 4)], spread: [(1, 3), (2, 4), (4, 4)])
        var chart = SVGChart(.lines, title: "t", xLabel: "x", yLabel: "y", series: [series])
        chart.logX = true
        chart.markers = true
        chart.legendNote = "shaded: min to max over repeats"
        let line = pixelPoints(elements("<polyline", in: chart.svg)[0]["points"]!)
        #expect(abs((line[1].x - line[0].x) - (line[2].x - line[1].x)) < 0.11)
        #expect(chart.svg.contains(">10</text>") && chart.svg.contains(">100</text>") && chart.svg.contains(">shaded: min to max over</text>"))
        #expect(elements("<circle", in: chart.svg).count == 3)
        let band = pixelPoints(elements("<polygon class=\"spread-band\"", in: chart.svg)[0]["points"]!)
        #expect(band.count == 6 && band.map(\.x) == line.map(\.x) + line.map(\.x).reversed())
        let frame = chart.frame()
        #expect(abs(band[0].y - frame.py(3)) < 0.06 && abs(band[5].y - frame.py(1)) < 0.06 && abs(band[2].y - line[2].y) < 0.06)
        chart.spreadStyle = .errorBars
        #expect(elements("<path class=\"error-bar\"", in: chart.svg).count == 3 && !chart.svg.contains("spread-band"))
    }

    /// The attributes of every element of `svg` whose tag starts with `opening` (e.g. `<rect`).
    func elements(_ opening: String, in svg: String) -> [[String: String]] {
        svg.components(separatedBy: opening).dropFirst().map { element in
            let tag = String(element.prefix { $0 != ">" })
            var attributes: [String: String] = [:]
            for pair in tag.components(separatedBy: "\" ") {
                let parts = pair.components(separatedBy: "=\"")
                guard parts.count == 2 else { continue }
                let name = parts[0].trimmingCharacters(in: .whitespaces)
                attributes[name] = parts[1].replacingOccurrences(of: "\"", with: "").replacingOccurrences(of: "/", with: "")
            }
            return attributes
        }
    }

    func pixelPoints(_ list: String) -> [(x: Double, y: Double)] {
        list.split(separator: " ").map { pair in
            let xy = pair.split(separator: ",").map { Double($0)! }
            return (xy[0], xy[1])
        }
    }

    /// Eigenvalues well inside and far outside the unit circle: either way the circle is round, ±1 in data units, inside the frame.
    @Test func theUnitCircleIsRoundInDataUnitsAndInsideTheFrame() throws {
        for scale in [0.3, 3.0] {
            let points = (0..<40).map { (x: scale * cos(Double($0)), y: scale * 0.4 * sin(Double($0))) }
            let chart = SVGChart(.complexPlane, title: "eigenvalues", xLabel: "real part", yLabel: "imaginary part",
                                 series: [.init(label: "a", points: points), .init(label: "b", points: points.map { ($0.x / 2, $0.y) })])
            let frame = chart.frame()
            let circle = pixelPoints(try #require(elements("<polyline class=\"unit-circle\"", in: chart.svg).first?["points"]))
            for point in circle {
                #expect(point.x >= frame.left && point.x <= frame.left + frame.width, "x \(point.x) outside the frame")
                #expect(point.y >= frame.top && point.y <= frame.top + frame.height, "y \(point.y) outside the frame")
            }
            let toDataY = { (py: Double) in frame.yLow + (1 - (py - frame.top) / frame.height) * (frame.yHigh - frame.yLow) }
            let ys = circle.map { toDataY($0.y) }
            #expect(abs(ys.max()! - 1) < 0.01 && abs(ys.min()! + 1) < 0.01)
            let across = circle.map(\.x).max()! - circle.map(\.x).min()!, up = circle.map(\.y).max()! - circle.map(\.y).min()!
            #expect(abs(across - up) < 0.3, "\(across) px across, \(up) px up")
        }
    }

    /// Two series of bins side by side: the last bin of the last series ends inside the frame, as every other does.
    @Test func histogramBarsStayInsideTheFrame() {
        func bins(_ offset: Double) -> [(x: Double, y: Double)] {
            (0..<24).map { bin -> (x: Double, y: Double) in
                let count = Double((bin * 7) % 11)
                return (0.4 + Double(bin) * 0.05, count + offset)
            }
        }
        var chart = SVGChart(.bars, title: "radii", xLabel: "spectral radius", yLabel: "points",
                             series: [.init(label: "plain", points: bins(0)), .init(label: "denoising", points: bins(2))])
        chart.guide = 1
        let frame = chart.frame()
        let bars = elements("<rect", in: chart.svg).filter { $0["fill-opacity"] == "0.8" }
        #expect(bars.count == 48)
        for bar in bars {
            let x = Double(bar["x"]!)!, width = Double(bar["width"]!)!
            #expect(x >= frame.left - 0.05 && x + width <= frame.left + frame.width + 0.1, "bar at \(x), \(width) wide")
        }
    }

    /// 12,000 noisy points across a few hundred pixels: at most four per pixel column, and the extremes and ends are kept.
    @Test func thinnedPolylinesAreBoundedAndKeepTheExtremes() {
        var generator = SystemRandomNumberGenerator()
        let points = (0..<12_000).map { (x: 70 + Double($0) * 550 / 12_000, y: Double.random(in: 30...295, using: &generator)) }
        let thinned = SVGChart.thinned(points)
        #expect(thinned.count <= 4 * 551)
        #expect(thinned.map(\.y).min() == points.map(\.y).min() && thinned.map(\.y).max() == points.map(\.y).max())
        #expect(thinned.first! == points.first! && thinned.last! == points.last!)
        #expect(zip(thinned, thinned.dropFirst()).allSatisfy { $0.x <= $1.x })

        let curves = (0..<4).map { series in
            SVGChart.Series(label: "cell \(series)", points: (1...12_000).map { (Double($0), exp(-Double($0) / 2000) + Double(series)) })
        }
        var chart = SVGChart(.lines, title: "loss", xLabel: "epoch", yLabel: "loss", series: curves)
        chart.logY = true
        let svg = chart.svg
        for line in elements("<polyline", in: svg).compactMap({ $0["points"] }) {
            #expect(pixelPoints(line).count <= 4 * (Int(chart.frame().width) + 2))
        }
        #expect(svg.utf8.count < 200_000)
    }

    /// Log axes: every decade labelled, the lowest too; 2 and 5 between decades when there are few.
    @Test func logAxesLabelEveryDecadeAndFillFewOnes() {
        #expect(SVGChart.logTicks(-6, 0) == [-6, -5, -4, -3, -2, -1, 0])
        #expect(SVGChart.logTicks(-2, 0).map { SVGChart.label(pow(10, $0)) } == ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"])
        var chart = SVGChart(.lines, title: "loss", xLabel: "epoch", yLabel: "loss",
                             series: [.init(label: "a", points: [(1, 0.4), (2, 0.01), (3, 3e-5)])])
        chart.logY = true
        let svg = chart.svg
        #expect(svg.contains(">1e-05</text>") && svg.contains(">1</text>"))
        #expect(!svg.contains(">0.02</text>"))
    }
}
