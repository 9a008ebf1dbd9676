import Foundation
import LabCore

/// A grid of images (rows of samples) as one PNG, for reports: training
/// images beside their iterates, clean beside corrupted inputs. Samples are
/// viewed as [height, width, channels] images (flat samples of 784 or 3072
/// values as 28 x 28 grey or 32 x 32 colour, other squares as grey).
/// Values in [0, 1] are drawn as they are, others scaled to the grid's range.
public struct ImageStrip {
    public var tiles: [[[Float]]]
    public var sampleShape: [Int]
    /// Pixels per sample pixel: enough for every tile to be at least 56 pixels tall.
    public var zoom: Int? = nil
    public var gap = 2

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

    public var png: Data? {
        guard let (height, width, channels) = Self.imageShape(of: sampleShape), let columns = tiles.map(\.count).max(), columns > 0 else { return nil }
        let values = tiles.joined().joined().filter(\.isFinite)
        let (low, high) = (values.min() ?? 0, values.max() ?? 1)
        let (floor, scale): (Float, Float) = low >= 0 && high <= 1 ? (0, 1) : (low, max(high - low, 1e-12))
        let zoom = zoom ?? max(2, (56 + height - 1) / height)
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
                            let level = value.isFinite ? min(max((value - floor) / scale, 0), 1) : (c == 0 ? 1 : 0)  // NaN in red
                            rgb[out + c] = UInt8((level * 255).rounded())
                        }
                    }
                }
            }
        }
        return PNGEncoder.encode(width: imageWidth, height: imageHeight, rgb: rgb)
    }
}
