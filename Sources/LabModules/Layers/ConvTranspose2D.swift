import LabCore

/// Transposed 2-D convolution (Keras's Conv2DTranspose): the adjoint of a
/// Conv2D from the output images down to the input images, plus a bias.
/// Each input pixel's channels times the kernel give a kh·kw·filters patch
/// (one sgemm), and the patches add onto the output pixels they cover
/// (col2im). Output size per side: size · stride (`same`), or
/// size · stride + max(kernel − stride, 0) (`valid`). The kernel is stored
/// (kh, kw, filters, in) as Keras does, so checkpoints carry over.
public final class ConvTranspose2D: Layer {
    public let typeName = "conv_transpose2d"
    public let inputShape: [Int]
    public let outputShape: [Int]
    public let kernel: Parameter
    public let bias: Parameter?
    /// The convolution this layer is the adjoint of: from the output shape to the input shape.
    let geometry: ConvolutionGeometry
    let kernelInitializer: any Initializer
    let biasInitializer: any Initializer

    struct Cache: LayerCache {
        let input: Tensor
    }

    init(inputShape: [Int], filters: Int, kernelSize: Int, stride: Int, same: Bool, usesBias: Bool,
         kernelInitializer: any Initializer, biasInitializer: any Initializer) {
        self.inputShape = inputShape
        let grow = { (size: Int) in same ? size * stride : size * stride + max(kernelSize - stride, 0) }
        outputShape = [grow(inputShape[0]), grow(inputShape[1]), filters]
        geometry = ConvolutionGeometry(input: outputShape, kernelHeight: kernelSize, kernelWidth: kernelSize, stride: stride, same: same)
        precondition(geometry.outputHeight == inputShape[0] && geometry.outputWidth == inputShape[1],
                     "the adjoint convolution maps \(outputShape) to \(inputShape)")
        kernel = Parameter(name: "kernel", shape: [kernelSize, kernelSize, filters, inputShape[2]])
        bias = usesBias ? Parameter(name: "bias", shape: [filters]) : nil
        self.kernelInitializer = kernelInitializer
        self.biasInitializer = biasInitializer
    }

    public var parameters: [Parameter] { bias.map { [kernel, $0] } ?? [kernel] }
    public var hasConstantJacobian: Bool { true }
    /// Every input pixel's kh·kw·filters patch, before col2im adds them up.
    public var scratchScalarsPerSample: Double {
        Double(inputShape[0] * inputShape[1]) * Double(geometry.kernelHeight * geometry.kernelWidth) * Double(outputShape[2])
    }

    /// The layer's sgemm multiplies [batch · rowsPerSample, inner] by [inner, columns].
    public var productShape: (rowsPerSample: Int, inner: Int, columns: Int) {
        (geometry.pixels, inputShape[2], geometry.patchSize)
    }

    /// Keras's fans for this kernel shape: receptive field times the last two axes.
    public func initializeParameters(using rng: inout RandomGenerator) {
        let receptive = geometry.kernelHeight * geometry.kernelWidth
        let (fanIn, fanOut) = (receptive * outputShape[2], receptive * inputShape[2])
        kernelInitializer.fill(&kernel.value, fanIn: fanIn, fanOut: fanOut, using: &rng)
        if let bias { biasInitializer.fill(&bias.value, fanIn: fanIn, fanOut: fanOut, using: &rng) }
    }

    /// The kernel as the [kh·kw·filters, in] matrix of the adjoint convolution.
    private var kernelMatrix: Tensor { kernel.value.reshaped([geometry.patchSize, inputShape[2]]) }

    private func transpose(_ input: Tensor, withBias: Bool) -> Tensor {
        let batch = input.rows
        let pixels = input.reshaped([batch * geometry.pixels, inputShape[2]])
        var output = geometry.columnsToImage(Tensor.matmul(pixels, kernelMatrix, transposeB: true), batch: batch)
        if withBias, let bias {
            let filters = outputShape[2]
            bias.value.withUnsafeBufferPointer { b in
                output.withUnsafeMutableBufferPointer { out in
                    for start in stride(from: 0, to: out.count, by: filters) {
                        for f in 0..<filters { out[start + f] += b[f] }
                    }
                }
            }
        }
        return output
    }

    public func forward(_ input: Tensor) -> (output: Tensor, cache: any LayerCache) {
        (transpose(input, withBias: true), Cache(input: input))
    }

    public func backward(_ outputGradient: Tensor, cache: any LayerCache, needsInputGradient: Bool) -> Tensor? {
        let input = (cache as! Cache).input
        let batch = outputGradient.rows
        if let bias { outputGradient.reshaped([outputGradient.count / outputShape[2], outputShape[2]]).columnSums(into: &bias.gradient) }
        // The adjoint of col2im is im2col: each input pixel sees the gradient's patch over it.
        let patches = geometry.imageToColumns(outputGradient)
        let pixels = input.reshaped([batch * geometry.pixels, inputShape[2]])
        kernel.gradient.reshape([geometry.patchSize, inputShape[2]])
        Tensor.gemm(patches, pixels, transposeA: true, into: &kernel.gradient)
        kernel.gradient.reshape(kernel.value.shape)
        guard needsInputGradient else { return nil }
        return Tensor.matmul(patches, kernelMatrix).reshaped([batch] + inputShape)
    }

    public func jvp(_ tangents: Tensor, cache: any LayerCache) -> Tensor {
        transpose(tangents, withBias: false)
    }
}

extension ConvTranspose2D {
    static func register(in registry: inout Registry) {
        registry.layers.register("conv_transpose2d", summary: "transposed 2-D convolution (Keras's Conv2DTranspose): learned upsampling", parameters: [
            .integer("filters", range: .atLeast(1), doc: "output channels"),
            .integer("kernel_size", default: 3, range: .atLeast(1), doc: "square kernel side"),
            .integer("stride", default: 2, range: .atLeast(1), doc: "upsampling factor"),
            .choice("padding", ["same", "valid"], default: "same", doc: "same: output size x stride; valid: size x stride + max(kernel - stride, 0)"),
            .boolean("bias", default: true, doc: "add a learned bias per filter"),
            .module("kernel_initializer", kind: "initializer", default: "glorot_uniform", doc: "initial kernel (kh, kw, out, in)"),
            .module("bias_initializer", kind: "initializer", default: "zeros", doc: "initial bias"),
        ]) { config, context in
            guard context.inputShape.count == 3 else {
                throw config.node.error("conv_transpose2d needs images [height, width, channels], got samples of shape \(context.inputShape) (set the dataset's flatten: false, or reshape)")
            }
            let (filters, size, stride) = (try config.int("filters"), try config.int("kernel_size"), try config.int("stride"))
            guard Tensor.scalarCount(of: context.inputShape + [size, size, filters, stride, stride]) != nil else {
                throw config.node.error("\(filters) filters of \(size) x \(size) at stride \(stride) on \(context.inputShape) images hold more values than an Int counts")
            }
            let same = try config.string("padding") == "same"
            let outputSide = { (side: Int) in same ? side * stride : side * stride + max(size - stride, 0) }
            // The kernel must fit the images it is the adjoint convolution of.
            guard size <= outputSide(context.inputShape[0]) && size <= outputSide(context.inputShape[1]) else {
                throw config.located("kernel_size").error("a \(size) x \(size) kernel does not fit the \(outputSide(context.inputShape[0])) x \(outputSide(context.inputShape[1])) images it makes",
                                                        allowed: "1 to \(min(outputSide(context.inputShape[0]), outputSide(context.inputShape[1])))")
            }
            return ConvTranspose2D(inputShape: context.inputShape, filters: filters, kernelSize: size,
                                   stride: stride, same: same, usesBias: try config.bool("bias"),
                                   kernelInitializer: try config.module("kernel_initializer", from: context.registry.initializers, context: context),
                                   biasInitializer: try config.module("bias_initializer", from: context.registry.initializers, context: context))
        }
    }
}

/// Keras's Conv2DTranspose is the same adjoint, with its kernel stored the same way.
extension ConvTranspose2D: KerasCounterpart {
    public func kerasLayers(named name: String) -> [KerasLayerConfig]? {
        [KerasLayerConfig("Conv2DTranspose", name: name, [ConfigValue.Entry("filters", .int(outputShape[2]))] + geometry.kerasOptions + [
            ConfigValue.Entry("activation", .string("linear")),
            ConfigValue.Entry("use_bias", .bool(bias != nil)),
        ])]
    }
}
