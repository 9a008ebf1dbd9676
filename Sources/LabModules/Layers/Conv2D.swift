import LabCore

/// 2-D convolution over channels-last images [height, width, channels], as
/// im2col then one sgemm: each output pixel's receptive field becomes a row
/// of `columns` (kh·kw·in values, zeros where padding), and the output is
/// columns · K + b with the kernel K stored (kh, kw, in, out) as Keras does.
/// Padding and output sizes follow TensorFlow (see `ConvolutionGeometry`).
public final class Conv2D: Layer {
    public let typeName = "conv2d"
    public let inputShape: [Int]
    public let outputShape: [Int]
    public let kernel: Parameter
    public let bias: Parameter?
    let geometry: ConvolutionGeometry
    let kernelInitializer: any Initializer
    let biasInitializer: any Initializer

    struct Cache: LayerCache {
        let columns: Tensor
    }

    init(inputShape: [Int], filters: Int, kernelHeight: Int, kernelWidth: Int, stride: Int, same: Bool, usesBias: Bool,
         kernelInitializer: any Initializer, biasInitializer: any Initializer) {
        self.inputShape = inputShape
        geometry = ConvolutionGeometry(input: inputShape, kernelHeight: kernelHeight, kernelWidth: kernelWidth, stride: stride, same: same)
        outputShape = [geometry.outputHeight, geometry.outputWidth, filters]
        kernel = Parameter(name: "kernel", value: Tensor(zeros: [kernelHeight, kernelWidth, inputShape[2], filters]))
        bias = usesBias ? Parameter(name: "bias", value: Tensor(zeros: [filters])) : nil
        self.kernelInitializer = kernelInitializer
        self.biasInitializer = biasInitializer
    }

    public var parameters: [Parameter] { bias.map { [kernel, $0] } ?? [kernel] }
    /// The sgemm behind the layer multiplies [batch · outputPixels, patchSize] by [patchSize, filters].
    public var outputPixels: Int { geometry.pixels }
    public var patchSize: Int { geometry.patchSize }
    public var filters: Int { outputShape[2] }
    public var hasConstantJacobian: Bool { true }

    public func initializeParameters(using rng: inout RandomGenerator) {
        let fanIn = geometry.patchSize
        let fanOut = geometry.kernelHeight * geometry.kernelWidth * outputShape[2]
        kernelInitializer.fill(&kernel.value, fanIn: fanIn, fanOut: fanOut, using: &rng)
        if let bias { biasInitializer.fill(&bias.value, fanIn: fanIn, fanOut: fanOut, using: &rng) }
    }

    private func product(_ columns: Tensor, batch: Int, withBias: Bool) -> Tensor {
        let weights = kernel.value.reshaped([geometry.patchSize, outputShape[2]])
        return Tensor.affine(columns, weights, bias: withBias ? bias?.value : nil).reshaped([batch] + outputShape)
    }

    public func forward(_ input: Tensor) -> (output: Tensor, cache: any LayerCache) {
        let columns = geometry.imageToColumns(input)
        return (product(columns, batch: input.rows, withBias: true), Cache(columns: columns))
    }

    public func backward(_ outputGradient: Tensor, cache: any LayerCache, needsInputGradient: Bool) -> Tensor? {
        let columns = (cache as! Cache).columns
        let filters = outputShape[2]
        let g = outputGradient.reshaped([columns.rows, filters])
        // View the gradient as the (patch, filters) matrix sgemm writes, in place.
        kernel.gradient.reshape([geometry.patchSize, filters])
        Tensor.gemm(columns, g, transposeA: true, into: &kernel.gradient)
        kernel.gradient.reshape(kernel.value.shape)
        if let bias { g.columnSums(into: &bias.gradient) }
        guard needsInputGradient else { return nil }
        // dColumns = g Kᵀ, then scatter-add each patch entry back to its pixel (col2im).
        let columnGradient = Tensor.matmul(g, kernel.value.reshaped([geometry.patchSize, filters]), transposeB: true)
        return geometry.columnsToImage(columnGradient, batch: outputGradient.rows)
    }

    public func jvp(_ tangents: Tensor, cache: any LayerCache) -> Tensor {
        product(geometry.imageToColumns(tangents), batch: tangents.rows, withBias: false)
    }
}

extension Conv2D {
    static func register(in registry: inout Registry) {
        registry.layers.register("conv2d", summary: "2-D convolution of [height, width, channels] images (im2col + sgemm)", parameters: [
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
            guard same || (size <= context.inputShape[0] && size <= context.inputShape[1]) else {
                throw config.node("kernel_size")!.error("a \(size) x \(size) kernel does not fit \(context.inputShape[0]) x \(context.inputShape[1]) images without padding")
            }
            return Conv2D(inputShape: context.inputShape, filters: try config.int("filters"), kernelHeight: size, kernelWidth: size,
                          stride: try config.int("stride"), same: same, usesBias: try config.bool("bias"),
                          kernelInitializer: try config.module("kernel_initializer", from: context.registry.initializers, context: context),
                          biasInitializer: try config.module("bias_initializer", from: context.registry.initializers, context: context))
        }
    }
}
