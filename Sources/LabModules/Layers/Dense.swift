import LabCore

/// A fully connected layer, y = x W + b, with W stored (in, out) as Keras does.
public final class Dense: Layer {
    public let typeName = "dense"
    public let inputShape: [Int]
    public let units: Int
    public let kernel: Parameter
    public let bias: Parameter?
    let kernelInitializer: any Initializer
    let biasInitializer: any Initializer

    struct Cache: LayerCache {
        let input: Tensor
    }

    public init(inputSize: Int, units: Int, usesBias: Bool,
                kernelInitializer: any Initializer, biasInitializer: any Initializer) {
        inputShape = [inputSize]
        self.units = units
        kernel = Parameter(name: "kernel", shape: [inputSize, units])
        bias = usesBias ? Parameter(name: "bias", shape: [units]) : nil
        self.kernelInitializer = kernelInitializer
        self.biasInitializer = biasInitializer
    }

    public var outputShape: [Int] { [units] }
    /// J = Wᵀ everywhere: the bias does not enter the linearisation.
    public var hasConstantJacobian: Bool { true }
    public var parameters: [Parameter] { bias.map { [kernel, $0] } ?? [kernel] }

    public func initializeParameters(using rng: inout RandomGenerator) {
        kernelInitializer.fill(&kernel.value, fanIn: inputShape[0], fanOut: units, using: &rng)
        if let bias { biasInitializer.fill(&bias.value, fanIn: inputShape[0], fanOut: units, using: &rng) }
    }

    public func forward(_ input: Tensor) -> (output: Tensor, cache: any LayerCache) {
        (Tensor.affine(input, kernel.value, bias: bias?.value), Cache(input: input))
    }

    public func backward(_ outputGradient: Tensor, cache: any LayerCache, needsInputGradient: Bool) -> Tensor? {
        let input = (cache as! Cache).input
        Tensor.gemm(input, outputGradient, transposeA: true, into: &kernel.gradient)
        if let bias { outputGradient.columnSums(into: &bias.gradient) }
        guard needsInputGradient else { return nil }
        return Tensor.matmul(outputGradient, kernel.value, transposeB: true)
    }

    public func jvp(_ tangents: Tensor, cache: any LayerCache) -> Tensor {
        Tensor.matmul(tangents, kernel.value)
    }
}

extension Dense {
    static func register(in registry: inout Registry) {
        registry.layers.register("dense", summary: "fully connected layer y = x W + b", parameters: [
            .integer("units", range: .atLeast(1), doc: "output width"),
            .boolean("bias", default: true, doc: "add a learned bias b"),
            .module("kernel_initializer", kind: "initializer", default: "glorot_normal", doc: "initial W, shaped (in, out)"),
            .module("bias_initializer", kind: "initializer", default: "zeros", doc: "initial b"),
        ]) { config, context in
            guard context.inputShape.count == 1 else {
                throw config.node.error("dense needs a flat input, got samples of shape \(context.inputShape)")
            }
            return Dense(inputSize: context.inputShape[0], units: try config.int("units"), usesBias: try config.bool("bias"),
                         kernelInitializer: try config.module("kernel_initializer", from: context.registry.initializers, context: context),
                         biasInitializer: try config.module("bias_initializer", from: context.registry.initializers, context: context))
        }
    }
}

extension Dense: KerasCounterpart {
    public func kerasLayers(named name: String) -> [KerasLayerConfig]? {
        [KerasLayerConfig("Dense", name: name, [
            ConfigValue.Entry("units", .int(units)),
            ConfigValue.Entry("activation", .string("linear")),
            ConfigValue.Entry("use_bias", .bool(bias != nil)),
        ])]
    }
}
