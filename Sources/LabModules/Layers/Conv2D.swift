import CKernels
import LabCore

/// 2-D convolution over channels-last images [height, width, channels] with
/// the kernel K stored (kh, kw, in, out) as Keras does, as one sgemm plus
/// copies (see `ConvolutionGeometry`), on whichever side is narrower:
/// - input side (im2col): each output pixel's receptive field becomes a row
///   of kh·kw·in values, and the output is columns · K + b;
/// - output side, when there are fewer filters than input channels (a
///   decoder's last layer): every input pixel times every kernel position,
///   x · K', then each output pixel sums the kh·kw products it sees.
/// The products split by rows (images) across the cores, each part a
/// single-threaded sgemm (see `Tensor.gemmSplittingRows`). Stride-1 layers
/// of 1 or a multiple of 8 filters and channels skip the copies and sgemm
/// altogether (`DirectConvolution`): their products are too narrow for it.
/// Padding and output sizes follow TensorFlow.
public final class Conv2D: Layer {
    public let typeName = "conv2d"
    public let inputShape: [Int]
    public let outputShape: [Int]
    public let kernel: Parameter
    public let bias: Parameter?
    let geometry: ConvolutionGeometry
    let multipliesFirst: Bool
    let direct: DirectConvolution?
    let kernelInitializer: any Initializer
    let biasInitializer: any Initializer

    struct Cache: LayerCache {
        /// im2col's rows, or the input itself when multiplying first or
        /// convolving directly.
        let operand: Tensor
    }

    /// `direct: false` keeps the sgemm routes for every shape, and
    /// `directVectorBits` narrows the direct kernels' vector code (the tests
    /// compare them all).
    init(inputShape: [Int], filters: Int, kernelHeight: Int, kernelWidth: Int, stride: Int, same: Bool, usesBias: Bool,
         kernelInitializer: any Initializer, biasInitializer: any Initializer, direct allowsDirect: Bool = true,
         directVectorBits: Int32 = aelab_conv_vector_bits()) {
        self.inputShape = inputShape
        geometry = ConvolutionGeometry(input: inputShape, kernelHeight: kernelHeight, kernelWidth: kernelWidth, stride: stride, same: same)
        outputShape = [geometry.outputHeight, geometry.outputWidth, filters]
        multipliesFirst = geometry.height * geometry.width * filters < geometry.pixels * inputShape[2]
        direct = allowsDirect && DirectConvolution.fits(geometry, filters: filters) ? DirectConvolution(geometry: geometry, filters: filters, vectorBits: directVectorBits) : nil
        kernel = Parameter(name: "kernel", shape: [kernelHeight, kernelWidth, inputShape[2], filters])
        bias = usesBias ? Parameter(name: "bias", shape: [filters]) : nil
        self.kernelInitializer = kernelInitializer
        self.biasInitializer = biasInitializer
    }

    public var parameters: [Parameter] { bias.map { [kernel, $0] } ?? [kernel] }
    public var filters: Int { outputShape[2] }
    public var hasConstantJacobian: Bool { true }

    /// The layer's sgemm multiplies [batch · rowsPerSample, inner] by [inner, columns].
    public var productShape: (rowsPerSample: Int, inner: Int, columns: Int) {
        multipliesFirst ? (geometry.height * geometry.width, geometry.channels, geometry.kernelHeight * geometry.kernelWidth * filters)
                        : (geometry.pixels, geometry.patchSize, filters)
    }

    public var scratchScalarsPerSample: Double {
        let (rows, inner, columns) = productShape
        return Double(rows) * Double(max(inner, columns))
    }

    public func initializeParameters(using rng: inout RandomGenerator) {
        let fanIn = geometry.patchSize
        let fanOut = geometry.kernelHeight * geometry.kernelWidth * outputShape[2]
        kernelInitializer.fill(&kernel.value, fanIn: fanIn, fanOut: fanOut, using: &rng)
        if let bias { biasInitializer.fill(&bias.value, fanIn: fanIn, fanOut: fanOut, using: &rng) }
    }

    /// K as the [in, kh·kw·out] matrix of the output-side product: entry
    /// (c, (position, f)) is K[position, c, f].
    private var kernelByChannel: Tensor {
        let (positions, channels) = (geometry.kernelHeight * geometry.kernelWidth, geometry.channels)
        return kernel.value.withUnsafeBufferPointer { k in
            Tensor(shape: [channels, positions * filters]) { out in
                for position in 0..<positions {
                    for c in 0..<channels {
                        for f in 0..<filters { out[(c * positions + position) * filters + f] = k[(position * channels + c) * filters + f] }
                    }
                }
            }
        }
    }

    private func convolve(_ input: Tensor, withBias: Bool) -> (output: Tensor, operand: Tensor) {
        let batch = input.rows
        let bias = withBias ? bias?.value : nil
        if let direct {
            let images = input.reshaped([batch] + inputShape)
            return (direct.forward(images, kernel: kernel.value, bias: bias), images)
        }
        if multipliesFirst {
            let pixels = input.reshaped([batch * geometry.height * geometry.width, geometry.channels])
            let products = Tensor.matmulSplittingRows(pixels, kernelByChannel)
            return (geometry.sumPatches(products, filters: filters, batch: batch, bias: bias), pixels)
        }
        let columns = geometry.imageToColumns(input)
        let weights = kernel.value.reshaped([geometry.patchSize, filters])
        return (Tensor.affineSplittingRows(columns, weights, bias: bias).reshaped([batch] + outputShape), columns)
    }

    public func forward(_ input: Tensor) -> (output: Tensor, cache: any LayerCache) {
        let (output, operand) = convolve(input, withBias: true)
        return (output, Cache(operand: operand))
    }

    public func backward(_ outputGradient: Tensor, cache: any LayerCache, needsInputGradient: Bool) -> Tensor? {
        let operand = (cache as! Cache).operand
        let batch = outputGradient.rows
        if let direct {
            let images = outputGradient.reshaped([batch] + outputShape)
            func backward(biasGradient: UnsafeMutableBufferPointer<Float>?) -> Tensor? {
                direct.backward(images, input: operand, kernel: kernel.value, kernelGradient: &kernel.gradient,
                                biasGradient: biasGradient, needsInputGradient: needsInputGradient)
            }
            guard let bias else { return backward(biasGradient: nil) }
            return bias.gradient.withUnsafeMutableBufferPointer { backward(biasGradient: $0) }
        }
        let g = outputGradient.reshaped([batch * geometry.pixels, filters])
        if let bias { g.columnSumsSplittingRows(into: &bias.gradient) }
        if multipliesFirst {
            let productGradient = geometry.spreadPatches(outputGradient, filters: filters, batch: batch)
            var byChannel = Tensor(shape: [geometry.channels, productGradient.columns]) { _ in }
            Tensor.transposedProductSplittingRows(operand, productGradient, into: &byChannel)
            storeKernelGradient(byChannel)
            guard needsInputGradient else { return nil }
            return Tensor.matmulSplittingRows(productGradient, kernelByChannel, transposeB: true).reshaped([batch] + inputShape)
        }
        // View the gradient as the (patch, filters) matrix sgemm writes, in place.
        kernel.gradient.reshape([geometry.patchSize, filters])
        Tensor.transposedProductSplittingRows(operand, g, into: &kernel.gradient)
        kernel.gradient.reshape(kernel.value.shape)
        guard needsInputGradient else { return nil }
        // dColumns = g Kᵀ, then each patch entry adds back onto its pixel (col2im).
        let columnGradient = Tensor.matmulSplittingRows(g, kernel.value.reshaped([geometry.patchSize, filters]), transposeB: true)
        return geometry.columnsToImage(columnGradient, batch: batch)
    }

    /// Puts the [in, kh·kw·out] gradient back in the kernel's (kh, kw, in, out) order.
    private func storeKernelGradient(_ byChannel: Tensor) {
        let (positions, channels) = (geometry.kernelHeight * geometry.kernelWidth, geometry.channels)
        byChannel.withUnsafeBufferPointer { source in
            kernel.gradient.withUnsafeMutableBufferPointer { k in
                for position in 0..<positions {
                    for c in 0..<channels {
                        for f in 0..<filters { k[(position * channels + c) * filters + f] = source[(c * positions + position) * filters + f] }
                    }
                }
            }
        }
    }

    public func jvp(_ tangents: Tensor, cache: any LayerCache) -> Tensor {
        convolve(tangents, withBias: false).output
    }
}

extension Conv2D {
    static func register(in registry: inout Registry) {
        registry.layers.register("conv2d", summary: "2-D convolution of [height, width, channels] images (direct kernels, or im2col + sgemm)", parameters: [
            .integer("filters", range: .atLeast(1), doc: "output channels"),
            .integer("kernel_size", default: 3, range: .atLeast(1), doc: "square kernel side"),
            .integer("stride", default: 1, range: .atLeast(1), doc: "step between receptive fields"),
            .choice("padding", ["same", "valid"], default: "same", doc: "same: output ceil(size/stride); valid: no padding"),
            .boolean("bias", default: true, doc: "add a learned bias per filter"),
            .module("kernel_initializer", kind: "initializer", default: "glorot_uniform", doc: "initial kernel (kh, kw, in, out)"),
            .module("bias_initializer", kind: "initializer", default: "zeros", doc: "initial bias"),
        ]) { config, context in
            guard context.inputShape.count == 3 else {
                throw config.node.error("conv2d needs images [height, width, channels], got samples of shape \(context.inputShape) (set the dataset's flatten: false, or reshape)")
            }
            let size = try config.int("kernel_size")
            let same = try config.string("padding") == "same"
            // A kernel wider than the image only ever sees padding beyond it.
            guard size <= context.inputShape[0] && size <= context.inputShape[1] else {
                throw config.located("kernel_size").error("a \(size) x \(size) kernel does not fit \(context.inputShape[0]) x \(context.inputShape[1]) images",
                                                        allowed: "1 to \(min(context.inputShape[0], context.inputShape[1]))")
            }
            let filters = try config.int("filters")
            guard Tensor.scalarCount(of: context.inputShape + [size, size, filters]) != nil else {
                throw config.located("filters").error("\(filters) filters of \(size) x \(size) on \(context.inputShape) images hold more values than an Int counts")
            }
            return Conv2D(inputShape: context.inputShape, filters: filters, kernelHeight: size, kernelWidth: size,
                          stride: try config.int("stride"), same: same, usesBias: try config.bool("bias"),
                          kernelInitializer: try config.module("kernel_initializer", from: context.registry.initializers, context: context),
                          biasInitializer: try config.module("bias_initializer", from: context.registry.initializers, context: context))
        }
    }
}

extension Conv2D: KerasCounterpart {
    public func kerasLayers(named name: String) -> [KerasLayerConfig]? {
        [KerasLayerConfig("Conv2D", name: name, [ConfigValue.Entry("filters", .int(filters))] + geometry.kerasOptions + [
            ConfigValue.Entry("activation", .string("linear")),
            ConfigValue.Entry("use_bias", .bool(bias != nil)),
        ])]
    }
}
