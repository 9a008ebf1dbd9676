import LabCore

/// Changes each sample's shape, keeping its values in order: `flatten` makes
/// it one dimension, `reshape` gives it `shape`. No values are copied.
public final class Reshape: Layer {
    public let typeName: String
    public let inputShape: [Int]
    public let outputShape: [Int]
    public var hasConstantJacobian: Bool { true }

    struct Cache: LayerCache {}

    public init(typeName: String, inputShape: [Int], outputShape: [Int]) {
        precondition(inputShape.reduce(1, *) == outputShape.reduce(1, *), "reshape must keep the number of values")
        self.typeName = typeName
        self.inputShape = inputShape
        self.outputShape = outputShape
    }

    public func forward(_ input: Tensor) -> (output: Tensor, cache: any LayerCache) {
        (input.reshaped([input.rows] + outputShape), Cache())
    }

    public func backward(_ outputGradient: Tensor, cache: any LayerCache, needsInputGradient: Bool) -> Tensor? {
        needsInputGradient ? outputGradient.reshaped([outputGradient.rows] + inputShape) : nil
    }

    public func jvp(_ tangents: Tensor, cache: any LayerCache) -> Tensor {
        tangents.reshaped([tangents.rows] + outputShape)
    }
}

extension Reshape {
    static func register(in registry: inout Registry) {
        registry.layers.register("flatten", summary: "each sample as one flat vector") { _, context in
            Reshape(typeName: "flatten", inputShape: context.inputShape, outputShape: [context.inputShape.reduce(1, *)])
        }
        registry.layers.register("reshape", summary: "each sample in a new shape with the same number of values", parameters: [
            ParameterSpec("shape", .integers, range: .atLeast(1), doc: "the new shape of one sample"),
        ]) { config, context in
            let shape = try config.intList("shape")
            let inputCount = context.inputShape.reduce(1, *)
            guard let count = Tensor.scalarCount(of: shape), count == inputCount else {
                let held = Tensor.scalarCount(of: shape).map(String.init) ?? "more than an Int counts of"
                throw config.located("shape").error("\(shape) holds \(held) values; the input \(context.inputShape) holds \(inputCount)")
            }
            return Reshape(typeName: "reshape", inputShape: context.inputShape, outputShape: shape)
        }
    }
}

/// Both keep values in row-major order, as Keras's channels-last Flatten and Reshape do.
extension Reshape: KerasCounterpart {
    public func kerasLayers(named name: String) -> [KerasLayerConfig]? {
        guard typeName == "reshape" else {
            return [KerasLayerConfig("Flatten", name: name, [ConfigValue.Entry("data_format", .string("channels_last"))])]
        }
        return [KerasLayerConfig("Reshape", name: name, [ConfigValue.Entry("target_shape", .list(outputShape.map { .int($0) }))])]
    }
}
