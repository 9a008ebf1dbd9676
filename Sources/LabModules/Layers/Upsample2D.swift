import LabCore

/// Nearest-neighbour upsampling of channels-last images by an integer
/// `factor`: each pixel becomes a factor x factor block. Linear, so its
/// backward sums each block and its jvp is itself.
public final class Upsample2D: Layer {
    public let typeName = "upsample2d"
    public let inputShape: [Int]
    public let outputShape: [Int]
    let factor: Int
    public var hasConstantJacobian: Bool { true }

    struct Cache: LayerCache {}

    init(inputShape: [Int], factor: Int) {
        self.inputShape = inputShape
        self.factor = factor
        outputShape = [inputShape[0] * factor, inputShape[1] * factor, inputShape[2]]
    }

    public func forward(_ input: Tensor) -> (output: Tensor, cache: any LayerCache) {
        (jvp(input, cache: Cache()), Cache())
    }

    /// Sums each factor x factor block of the gradient onto its source pixel,
    /// in row-major order within the block; images split across cores.
    public func backward(_ outputGradient: Tensor, cache: any LayerCache, needsInputGradient: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        let inSize = inputShape.reduce(1, *)
        var inputGradient = Tensor(zeros: [outputGradient.rows] + inputShape)
        outputGradient.withUnsafeBufferPointer { g in
            inputGradient.withUnsafeMutableBufferPointer { dx in
                let (g, dx) = (g.baseAddress!, dx.baseAddress!)
                ParallelLoop.forEachChunk(items: outputGradient.rows, scalarsPerItem: inSize * factor * factor) { images in
                    for image in images { sumBlocks(of: g + image * inSize * factor * factor, into: dx + image * inSize) }
                }
            }
        }
        return inputGradient
    }

    /// One image: walks the gradient row by row, adding each run of `factor`
    /// pixels onto the input pixel it came from.
    private func sumBlocks(of g: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>) {
        let (height, width, channels) = (inputShape[0], inputShape[1], inputShape[2])
        var source = g
        for y in 0..<height {
            for _ in 0..<factor {
                for x in 0..<width {
                    let pixel = dx + (y * width + x) * channels
                    for _ in 0..<factor {
                        for c in 0..<channels { pixel[c] += source[c] }
                        source += channels
                    }
                }
            }
        }
    }

    /// Builds each output row once from its input row, then copies it down the block.
    public func jvp(_ tangents: Tensor, cache: any LayerCache) -> Tensor {
        let (height, width, channels) = (inputShape[0], inputShape[1], inputShape[2])
        let outRow = outputShape[1] * channels
        return tangents.withUnsafeBufferPointer { t in
            Tensor(shape: [tangents.rows] + outputShape) { out in
                let (t, out) = (t.baseAddress!, out.baseAddress!)
                for inputRow in 0..<(tangents.rows * height) {
                    let source = t + inputRow * width * channels
                    let first = out + inputRow * factor * outRow
                    for x in 0..<width {
                        for copy in 0..<factor {
                            (first + (x * factor + copy) * channels).update(from: source + x * channels, count: channels)
                        }
                    }
                    for copy in 1..<max(factor, 1) { (first + copy * outRow).update(from: first, count: outRow) }
                }
            }
        }
    }
}

extension Upsample2D {
    static func register(in registry: inout Registry) {
        registry.layers.register("upsample2d", summary: "nearest-neighbour upsampling by an integer factor", parameters: [
            .integer("factor", default: 2, range: .atLeast(1), doc: "each pixel becomes a factor x factor block"),
        ]) { config, context in
            guard context.inputShape.count == 3 else {
                throw config.node.error("upsample2d needs images [height, width, channels], got samples of shape \(context.inputShape)")
            }
            let factor = try config.int("factor")
            guard Tensor.scalarCount(of: context.inputShape + [factor, factor]) != nil else {
                throw config.located("factor").error("upsampling \(context.inputShape) by \(factor) gives more values than an Int counts")
            }
            return Upsample2D(inputShape: context.inputShape, factor: factor)
        }
    }
}

extension Upsample2D: KerasCounterpart {
    public func kerasLayers(named name: String) -> [KerasLayerConfig]? {
        [KerasLayerConfig("UpSampling2D", name: name, [
            ConfigValue.Entry("size", .list([.int(factor), .int(factor)])),
            ConfigValue.Entry("data_format", .string("channels_last")),
            ConfigValue.Entry("interpolation", .string("nearest")),
        ])]
    }
}
