import LabCore

/// Height, width and channels (channels last) of the images a corruption
/// works on: the samples' own shape when it has three dimensions, else the
/// config's `image_shape` for flat samples.
struct ImageGeometry: Sendable {
    let height: Int
    let width: Int
    let channels: Int

    static let parameter = ParameterSpec("image_shape", .integers, range: .atLeast(1),
                                         optional: true, doc: "[height, width, channels] of flat samples")

    static func read(_ config: ConfigReader, sampleShape: [Int]) throws -> ImageGeometry {
        let given = config.node("image_shape") == nil ? nil : try config.intList("image_shape")
        let shape = given ?? sampleShape
        guard shape.count == 3 else {
            throw config.node.error("needs images: samples of shape \(sampleShape) are not [height, width, channels]",
                                    allowed: "image_shape: [height, width, channels]")
        }
        guard shape.reduce(1, *) == sampleShape.reduce(1, *) else {
            throw config.node("image_shape")!.error("image_shape \(shape) holds \(shape.reduce(1, *)) values; samples hold \(sampleShape.reduce(1, *))")
        }
        return ImageGeometry(height: shape[0], width: shape[1], channels: shape[2])
    }
}
