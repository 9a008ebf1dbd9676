import CKernels
import LabCore

/// The largest value of each `size` x `size` window (stride `size`, no
/// padding) of channels-last images. Backward and jvp route through the
/// position that won; on ties, the first in row-major order.
public final class MaxPool2D: Layer {
    public let typeName = "maxpool2d"
    public let inputShape: [Int]
    public let outputShape: [Int]
    let size: Int

    struct Cache: LayerCache {
        /// For every output value, the flat index (within its sample) of the input that won.
        let winners: [Int32]
    }

    init(inputShape: [Int], size: Int) {
        self.inputShape = inputShape
        self.size = size
        outputShape = [inputShape[0] / size, inputShape[1] / size, inputShape[2]]
    }

    public func forward(_ input: Tensor) -> (output: Tensor, cache: any LayerCache) {
        let (inSize, outSize) = (inputShape.reduce(1, *), outputShape.reduce(1, *))
        var winners = [Int32](repeating: 0, count: input.rows * outSize)
        let output = input.withUnsafeBufferPointer { x in
            Tensor(shape: [input.rows] + outputShape) { y in
                winners.withUnsafeMutableBufferPointer { winner in
                    let (x, y, winner) = (x.baseAddress!, y.baseAddress!, winner.baseAddress!)
                    ParallelLoop.forEachChunk(items: input.rows, scalarsPerItem: inSize) { images in
                        for image in images {
                            // In C: the window maximum over channels vectorises there (see CKernels.h).
                            aelab_max_pool(x + image * inSize, inputShape[0], inputShape[1], inputShape[2], size,
                                           y + image * outSize, winner + image * outSize)
                        }
                    }
                }
            }
        }
        return (output, Cache(winners: winners))
    }

    public func backward(_ outputGradient: Tensor, cache: any LayerCache, needsInputGradient: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        let winners = (cache as! Cache).winners
        let (inSize, outSize) = (inputShape.reduce(1, *), outputShape.reduce(1, *))
        var inputGradient = Tensor(zeros: [outputGradient.rows] + inputShape)
        outputGradient.withUnsafeBufferPointer { g in
            inputGradient.withUnsafeMutableBufferPointer { dx in
                for image in 0..<outputGradient.rows {
                    let (from, to) = (image * outSize, image * inSize)
                    for index in 0..<outSize { dx[to + Int(winners[from + index])] += g[from + index] }
                }
            }
        }
        return inputGradient
    }

    public func jvp(_ tangents: Tensor, cache: any LayerCache) -> Tensor {
        let winners = (cache as! Cache).winners
        let (inSize, outSize) = (inputShape.reduce(1, *), outputShape.reduce(1, *))
        // One point's winners serve a whole batch of tangents at that point.
        let broadcast = winners.count == outSize && tangents.rows != 1
        return tangents.withUnsafeBufferPointer { t in
            Tensor(shape: [tangents.rows] + outputShape) { out in
                for row in 0..<tangents.rows {
                    let (from, to, winner) = (row * inSize, row * outSize, broadcast ? 0 : row * outSize)
                    for index in 0..<outSize { out[to + index] = t[from + Int(winners[winner + index])] }
                }
            }
        }
    }
}

extension MaxPool2D {
    static func register(in registry: inout Registry) {
        registry.layers.register("maxpool2d", summary: "the largest value of each size x size window", parameters: [
            .integer("size", default: 2, range: .atLeast(1), doc: "window side, also the stride"),
        ]) { config, context in
            guard context.inputShape.count == 3 else {
                throw config.node.error("maxpool2d needs images [height, width, channels], got samples of shape \(context.inputShape)")
            }
            let size = try config.int("size")
            guard size <= min(context.inputShape[0], context.inputShape[1]) else {
                throw config.located("size").error("a \(size) x \(size) window does not fit \(context.inputShape[0]) x \(context.inputShape[1]) images")
            }
            return MaxPool2D(inputShape: context.inputShape, size: size)
        }
    }
}

extension MaxPool2D: KerasCounterpart {
    public func kerasLayers(named name: String) -> [KerasLayerConfig]? {
        [KerasLayerConfig("MaxPooling2D", name: name, [
            ConfigValue.Entry("pool_size", .list([.int(size), .int(size)])),
            ConfigValue.Entry("strides", .list([.int(size), .int(size)])),
            ConfigValue.Entry("padding", .string("valid")),
            ConfigValue.Entry("data_format", .string("channels_last")),
        ])]
    }
}
