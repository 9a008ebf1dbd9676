import Foundation
import LabCore

/// A grid of images (rows of samples) as one PNG, for reports: training
/// images beside their iterates, clean beside corrupted inputs. Samples are
/// viewed as [height, width, channels] images (flat samples of 784 or 3072
/// values as 28 x 28 grey or 32 x 32 colour, other squares as grey).
/// Values in [0, 1] are drawn as they are, others scaled to the grid's range,
/// unless `valueRange` fixes the range; values that are not finite are red.
public struct ImageStrip {
    public var tiles: [[[Float]]]
    public var sampleShape: [Int]
    /// Pixels per sample pixel: enough for every tile to be at least 56 pixels tall.
    public var zoom: Int? = nil
    public var gap = 2
    /// The values drawn black to white in every tile, those beyond clipped:
    /// e.g. the training data's, so growing iterates do not wash the rest out.
    public var valueRange: ClosedRange<Float>?
    /// Headers over the columns, drawn by `svg`.
    public var columnTitles: [String] = []

    public init(tiles: [[[Float]]], sampleShape: [Int]) {
        self.tiles = tiles
        self.sampleShape = sampleShape
    }

    /// (height, width, channels) of one sample, or nil when it is no image.
    public static func imageShape(of sampleShape: [Int]) -> (height: Int, width: Int, channels: Int)? {
        if sampleShape.count == 3, [1, 3].contains(sampleShape[2]) { return (sampleShape[0], sampleShape[1], sampleShape[2]) }
        if sampleShape.count == 2 { return (sampleShape[0], sampleShape[1], 1) }
        guard sampleShape.count == 1 else { return nil }
        let count = sampleShape[0]
        for channels in [3, 1] where count % channels == 0 {
            let side = Int(Double(count / channels).squareRoot().rounded())
            if side * side * channels == count, side >= 4 { return (side, side, channels) }
        }
        return nil
    }

    /// The value drawn black and the span up to white.
    var levels: (floor: Float, scale: Float) {
        if let valueRange { return (valueRange.lowerBound, max(valueRange.upperBound - valueRange.lowerBound, 1e-12)) }
        let values = tiles.joined().joined().filter(\.isFinite)
        let (low, high) = (values.min() ?? 0, values.max() ?? 1)
        return low >= 0 && high <= 1 ? (0, 1) : (low, max(high - low, 1e-12))
    }

    /// Pixels per sample pixel, given or chosen.
    func zoom(height: Int) -> Int { zoom ?? max(2, (56 + height - 1) / height) }

    public var png: Data? {
        guard let (height, width, channels) = Self.imageShape(of: sampleShape), let columns = tiles.map(\.count).max(), columns > 0 else { return nil }
        let (floor, scale) = levels
        let zoom = zoom(height: height)
        let tileWidth = width * zoom, tileHeight = height * zoom
        let imageWidth = columns * (tileWidth + gap) + gap, imageHeight = tiles.count * (tileHeight + gap) + gap
        var rgb = [UInt8](repeating: 255, count: imageWidth * imageHeight * 3)
        for (row, samples) in tiles.enumerated() {
            for (column, sample) in samples.enumerated() {
                let (x0, y0) = (gap + column * (tileWidth + gap), gap + row * (tileHeight + gap))
                for y in 0..<tileHeight {
                    for x in 0..<tileWidth {
                        let base = ((y / zoom) * width + x / zoom) * channels
                        let out = ((y0 + y) * imageWidth + x0 + x) * 3
                        for c in 0..<3 {
                            let value = sample[base + (channels == 3 ? c : 0)]
                            let level = value.isFinite ? min(max((value - floor) / scale, 0), 1) : (c == 0 ? 1 : 0)  // not finite: red
                            rgb[out + c] = UInt8((level * 255).rounded())
                        }
                    }
                }
            }
        }
        return PNGEncoder.encode(width: imageWidth, height: imageHeight, rgb: rgb)
    }

    /// The PNG under a row of column headers, as one SVG (the PNG inline).
    public var svg: String? {
        guard let png, let (height, width, _) = Self.imageShape(of: sampleShape) else { return nil }
        let zoom = zoom(height: height)
        let (tileWidth, header) = (width * zoom, columnTitles.isEmpty ? 0 : 18)
        let columns = tiles.map(\.count).max() ?? 0
        let (imageWidth, imageHeight) = (columns * (tileWidth + gap) + gap, tiles.count * (height * zoom + gap) + gap)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"\(imageWidth)\" "
            + "height=\"\(imageHeight + header)\" viewBox=\"0 0 \(imageWidth) \(imageHeight + header)\" font-family=\"sans-serif\" font-size=\"11\">\n"
        for (column, title) in columnTitles.prefix(columns).enumerated() {
            let x = gap + column * (tileWidth + gap) + tileWidth / 2
            out += "<text x=\"\(x)\" y=\"13\" text-anchor=\"middle\">\(XMLText.escaped(title))</text>\n"
        }
        out += "<image x=\"0\" y=\"\(header)\" width=\"\(imageWidth)\" height=\"\(imageHeight)\" style=\"image-rendering: pixelated\" "
            + "xlink:href=\"data:image/png;base64,\(png.base64EncodedString())\"/>\n"
        return out + "</svg>\n"
    }
}
