import Foundation
import LabCore

/// Rotates each image about its centre by an angle drawn uniformly from
/// [-degrees, degrees], sampling bilinearly; pixels from outside the image
/// are `fill`.
public struct Rotation: Corruption {
    let geometry: ImageGeometry
    public var degrees: Float
    public var fill: Float

    init(geometry: ImageGeometry, degrees: Float, fill: Float) {
        self.geometry = geometry
        self.degrees = degrees
        self.fill = fill
    }

    public func corrupt(_ batch: Tensor, using rng: inout RandomGenerator) -> Tensor {
        let (height, width, channels) = (geometry.height, geometry.width, geometry.channels)
        let imageSize = height * width * channels
        let (centerRow, centerColumn) = (Float(height - 1) / 2, Float(width - 1) / 2)
        return batch.withUnsafeBufferPointer { source in
            Tensor(shape: batch.shape) { out in
                for image in 0..<batch.rows {
                    let angle = (2 * rng.nextUniform() - 1) * degrees * .pi / 180
                    let (cosine, sine) = (cos(angle), sin(angle))
                    let base = image * imageSize
                    for row in 0..<height {
                        for column in 0..<width {
                            // Where this output pixel comes from: the inverse rotation.
                            let (dy, dx) = (Float(row) - centerRow, Float(column) - centerColumn)
                            let sourceRow = centerRow + cosine * dy + sine * dx
                            let sourceColumn = centerColumn - sine * dy + cosine * dx
                            for channel in 0..<channels {
                                out[base + (row * width + column) * channels + channel] = sample(
                                    source, base: base, row: sourceRow, column: sourceColumn, channel: channel)
                            }
                        }
                    }
                }
            }
        }
    }

    private func sample(_ source: UnsafeBufferPointer<Float>, base: Int, row: Float, column: Float, channel: Int) -> Float {
        let (height, width, channels) = (geometry.height, geometry.width, geometry.channels)
        let (top, left) = (Int(row.rounded(.down)), Int(column.rounded(.down)))
        let (fy, fx) = (row - Float(top), column - Float(left))
        func pixel(_ r: Int, _ c: Int) -> Float {
            r >= 0 && r < height && c >= 0 && c < width ? source[base + (r * width + c) * channels + channel] : fill
        }
        let upper = pixel(top, left) * (1 - fx) + pixel(top, left + 1) * fx
        let lower = pixel(top + 1, left) * (1 - fx) + pixel(top + 1, left + 1) * fx
        return upper * (1 - fy) + lower * fy
    }
}

extension Rotation {
    static func register(in registry: inout Registry) {
        registry.corruptions.register("rotation", summary: "rotate each image by a random angle, bilinearly", parameters: [
            .number("degrees", range: .closed(0, 180), doc: "largest rotation either way"),
            .number("fill", default: 0, doc: "value of pixels that come from outside the image"),
            ImageGeometry.parameter,
        ]) { config, context in
            Rotation(geometry: try ImageGeometry.read(config, sampleShape: context.inputShape),
                     degrees: Float(try config.double("degrees")), fill: Float(try config.double("fill")))
        }
    }
}
