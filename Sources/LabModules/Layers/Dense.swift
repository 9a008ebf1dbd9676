import LabCore

/// A fully connected layer, y = x W + b, with W stored (in, out) as Keras
/// does; under the `ntk` parameterisation y = σ_w/√in · x W + β b.
public final class Dense: Layer {
    public let typeName = "dense"
    public let inputShape: [Int]
    public let units: Int
    public let kernel: Parameter
    public let bias: Parameter?
    public let parameterization: DenseParameterization
    let kernelInitializer: any Initializer
    let biasInitializer: any Initializer

    struct Cache: LayerCache {
        let input: Tensor
    }

    public init(inputSize: Int, units: Int, usesBias: Bool, parameterization: DenseParameterization = .standard,
                kernelInitializer: any Initializer, biasInitializer: any Initializer) {
        inputShape = [inputSize]
        self.units = units
        self.parameterization = parameterization
        kernel = Parameter(name: "kernel", shape: [inputSize, units])
        bias = usesBias ? Parameter(name: "bias", shape: [units]) : nil
        self.kernelInitializer = kernelInitializer
        self.biasInitializer = biasInitializer
    }

    public var outputShape: [Int] { [units] }
    /// J = αWᵀ everywhere (α the kernel multiplier): the bias does not enter the linearisation.
    public var hasConstantJacobian: Bool { true }
    public var parameters: [Parameter] { bias.map { [kernel, $0] } ?? [kernel] }

    public func initializeParameters(using rng: inout RandomGenerator) {
        kernelInitializer.fill(&kernel.value, fanIn: inputShape[0], fanOut: units, using: &rng)
        if let bias { biasInitializer.fill(&bias.value, fanIn: inputShape[0], fanOut: units, using: &rng) }
    }

    public func forward(_ input: Tensor) -> (output: Tensor, cache: any LayerCache) {
        let output = Tensor.affine(input, kernel.value, bias: bias?.value, alpha: parameterization.kernelMultiplier,
                                   biasMultiplier: parameterization.biasMultiplier)
        return (output, Cache(input: input))
    }

    public func backward(_ outputGradient: Tensor, cache: any LayerCache, needsInputGradient: Bool) -> Tensor? {
        let input = (cache as! Cache).input
        let (alpha, beta) = (parameterization.kernelMultiplier, parameterization.biasMultiplier)
        Tensor.gemm(input, outputGradient, transposeA: true, alpha: alpha, into: &kernel.gradient)
        if let bias { outputGradient.columnSums(scale: beta, into: &bias.gradient) }
        guard needsInputGradient else { return nil }
        return Tensor.matmul(outputGradient, kernel.value, transposeB: true, alpha: alpha)
    }

    public func jvp(_ tangents: Tensor, cache: any LayerCache) -> Tensor {
        Tensor.matmul(tangents, kernel.value, alpha: parameterization.kernelMultiplier)
    }
}

extension Dense {
    static func register(in registry: inout Registry) {
        registry.layers.register("dense", summary: "fully connected layer y = x W + b", parameters: [
            .integer("units", range: .atLeast(1), doc: "output width"),
            .boolean("bias", default: true, doc: "add a learned bias b"),
            .module("kernel_initializer", kind: "initializer", default: "glorot_normal", doc: "initial W, shaped (in, out)"),
            .module("bias_initializer", kind: "initializer", default: "zeros", doc: "initial b"),
            .choice("parameterization", ["standard", "ntk"], default: "standard",
                    doc: "standard: y = x W + b; ntk: y = weight_scale/sqrt(in) x W + bias_scale b, for W and b drawn at unit scale"),
            .number("weight_scale", default: 1, range: .positive, doc: "ntk's sigma_w: the weights act as variance weight_scale^2 / in"),
            .number("bias_scale", default: 1, range: .nonNegative, doc: "ntk's beta, the bias's multiplier"),
        ]) { config, context in
            guard context.inputShape.count == 1 else {
                throw config.node.error("dense needs a flat input, got samples of shape \(context.inputShape)")
            }
            return Dense(inputSize: context.inputShape[0], units: try config.int("units"), usesBias: try config.bool("bias"),
                         parameterization: try parameterization(config, inputSize: context.inputShape[0]),
                         kernelInitializer: try config.module("kernel_initializer", from: context.registry.initializers, context: context),
                         biasInitializer: try config.module("bias_initializer", from: context.registry.initializers, context: context))
        }
    }

    /// The multipliers the config asks for; a scale other than 1 without `ntk`
    /// is an error, since the standard form would silently ignore it.
    private static func parameterization(_ config: ConfigReader, inputSize: Int) throws -> DenseParameterization {
        let weightScale = try config.double("weight_scale")
        let biasScale = try config.double("bias_scale")
        guard try config.string("parameterization") == "ntk" else {
            if let given = [("weight_scale", weightScale), ("bias_scale", biasScale)].first(where: { $0.1 != 1 }),
               let node = config.node(given.0) {
                throw node.error("\(given.0) applies to parameterization: ntk only", allowed: "parameterization: ntk beside it, or no \(given.0)")
            }
            return .standard
        }
        return .ntk(inputSize: inputSize, weightScale: weightScale, biasScale: biasScale)
    }
}

extension Dense: KerasCounterpart {
    /// Keras's Dense computes x W + b: none for the ntk form, whose stored
    /// weights are not the map's (load_weights into a layer that scales them).
    public func kerasLayers(named name: String) -> [KerasLayerConfig]? {
        guard parameterization.isStandard else { return nil }
        return [KerasLayerConfig("Dense", name: name, [
            ConfigValue.Entry("units", .int(units)),
            ConfigValue.Entry("activation", .string("linear")),
            ConfigValue.Entry("use_bias", .bool(bias != nil)),
        ])]
    }

    public var kerasAbsenceNote: String { parameterization.isStandard ? typeName : "dense in the ntk parameterisation" }
}
