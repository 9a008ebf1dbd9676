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
}
