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
        guard let count = Tensor.scalarCount(of: shape), count == sampleShape.reduce(1, *) else {
            let held = Tensor.scalarCount(of: shape).map(String.init) ?? "more than an Int counts of"
            throw config.located("image_shape").error("image_shape \(shape) holds \(held) values; samples hold \(sampleShape.reduce(1, *))")
        }
        return ImageGeometry(height: shape[0], width: shape[1], channels: shape[2])
    }
}
