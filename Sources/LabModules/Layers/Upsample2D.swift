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

    /// For each output value (within a sample), the input value it copies.
    private func source(of index: Int) -> Int {
        let channels = inputShape[2]
        let (pixel, c) = (index / channels, index % channels)
        let (y, x) = (pixel / outputShape[1], pixel % outputShape[1])
        return ((y / factor) * inputShape[1] + x / factor) * channels + c
    }

    public func forward(_ input: Tensor) -> (output: Tensor, cache: any LayerCache) {
        (jvp(input, cache: Cache()), Cache())
    }

    public func backward(_ outputGradient: Tensor, cache: any LayerCache, needsInputGradient: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        let (inSize, outSize) = (inputShape.reduce(1, *), outputShape.reduce(1, *))
        var inputGradient = Tensor(zeros: [outputGradient.rows] + inputShape)
        outputGradient.withUnsafeBufferPointer { g in
            inputGradient.withUnsafeMutableBufferPointer { dx in
                for index in 0..<g.count { dx[(index / outSize) * inSize + source(of: index % outSize)] += g[index] }
            }
        }
        return inputGradient
    }

    public func jvp(_ tangents: Tensor, cache: any LayerCache) -> Tensor {
        let (inSize, outSize) = (inputShape.reduce(1, *), outputShape.reduce(1, *))
        return tangents.withUnsafeBufferPointer { t in
            Tensor(shape: [tangents.rows] + outputShape) { out in
                for index in 0..<out.count { out[index] = t[(index / outSize) * inSize + source(of: index % outSize)] }
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
            return Upsample2D(inputShape: context.inputShape, factor: try config.int("factor"))
        }
    }
}
