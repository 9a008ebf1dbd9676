import LabCore

/// Blanks a `size` x `size` patch of each image (all channels) to `value`,
/// at a random place per image or at a fixed top-left corner.
public struct Occlusion: Corruption {
    let geometry: ImageGeometry
    public var size: Int
    public var value: Float
    /// Fixed (row, column) of the patch's top-left corner; nil: random per image.
    public var corner: (row: Int, column: Int)?

    init(geometry: ImageGeometry, size: Int, value: Float, corner: (row: Int, column: Int)?) {
        self.geometry = geometry
        self.size = size
        self.value = value
        self.corner = corner
    }

    public func corrupt(_ batch: Tensor, using rng: inout RandomGenerator) -> Tensor {
        let (height, width, channels) = (geometry.height, geometry.width, geometry.channels)
        let imageSize = height * width * channels
        var result = batch
        result.withUnsafeMutableBufferPointer { values in
            for image in 0..<batch.rows {
                let top = corner?.row ?? rng.nextInt(below: height - size + 1)
                let left = corner?.column ?? rng.nextInt(below: width - size + 1)
                for row in top..<(top + size) {
                    for column in left..<(left + size) {
                        let start = image * imageSize + (row * width + column) * channels
                        for channel in 0..<channels { values[start + channel] = value }
                    }
                }
            }
        }
        return result
    }
}

extension Occlusion {
    static func register(in registry: inout Registry) {
        registry.corruptions.register("occlusion", summary: "blank a square patch of each image", parameters: [
            .integer("size", range: .atLeast(1), doc: "the patch's side in pixels"),
            .number("value", default: 0, doc: "what the patch is filled with"),
            ParameterSpec("at", .integers, range: .atLeast(0), optional: true, doc: "[row, column] of a fixed patch (default: random per image)"),
            ImageGeometry.parameter,
        ]) { config, context in
            let geometry = try ImageGeometry.read(config, sampleShape: context.inputShape)
            let size = try config.int("size")
            guard size <= min(geometry.height, geometry.width) else {
                throw config.located("size").error("a \(size)-pixel patch does not fit \(geometry.height) x \(geometry.width) images")
            }
            var corner: (row: Int, column: Int)?
            if config.node("at") != nil {
                let at = try config.intList("at")
                guard at.count == 2, at[0] + size <= geometry.height, at[1] + size <= geometry.width else {
                    throw config.located("at").error("[row, column] must place the whole patch inside the image")
                }
                corner = (at[0], at[1])
            }
            return Occlusion(geometry: geometry, size: size, value: Float(try config.double("value")), corner: corner)
        }
    }
}
