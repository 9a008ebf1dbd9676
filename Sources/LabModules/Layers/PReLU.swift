import LabCore

/// Parametric ReLU: x for x > 0, a x otherwise, with the slope a learned:
/// one shared slope, or one per feature (`shared: false`). Its parameter is
/// named `alpha`, as in Keras.
public final class PReLU: Layer {
    public let typeName = "prelu"
    public let inputShape: [Int]
    public var outputShape: [Int] { inputShape }
    public let alpha: Parameter
    let initialSlope: Float

    struct Cache: LayerCache {
        let input: Tensor
    }

    public init(inputShape: [Int], shared: Bool, initialSlope: Float) {
        self.inputShape = inputShape
        self.initialSlope = initialSlope
        alpha = Parameter(name: "alpha", shape: [shared ? 1 : inputShape.reduce(1, *)], repeating: initialSlope)
    }

    public var parameters: [Parameter] { [alpha] }

    public func initializeParameters(using rng: inout RandomGenerator) {
        alpha.value = Tensor(repeating: initialSlope, shape: alpha.shape)
    }

    /// The slope applying to element `index` of a row.
    @inline(__always) private func slope(_ slopes: UnsafeBufferPointer<Float>, _ index: Int) -> Float {
        slopes.count == 1 ? slopes[0] : slopes[index]
    }

    public func forward(_ input: Tensor) -> (output: Tensor, cache: any LayerCache) {
        let width = input.columns
        let output = input.withUnsafeBufferPointer { x in
            alpha.value.withUnsafeBufferPointer { a in
                Tensor(shape: input.shape) { y in
                    for index in 0..<x.count { y[index] = x[index] > 0 ? x[index] : slope(a, index % width) * x[index] }
                }
            }
        }
        return (output, Cache(input: input))
    }

    public func backward(_ outputGradient: Tensor, cache: any LayerCache, needsInputGradient: Bool) -> Tensor? {
        let input = (cache as! Cache).input
        let width = input.columns
        var slopeGradient = Tensor(zeros: alpha.value.shape)
        input.withUnsafeBufferPointer { x in
            outputGradient.withUnsafeBufferPointer { g in
                slopeGradient.withUnsafeMutableBufferPointer { da in
                    for index in 0..<x.count where x[index] <= 0 {
                        da[da.count == 1 ? 0 : index % width] += g[index] * x[index]
                    }
                }
            }
        }
        alpha.gradient = slopeGradient
        return needsInputGradient ? jvp(outputGradient, cache: cache) : nil
    }

    /// Elementwise, so Jᵀg = Jg: g where x > 0, a g elsewhere.
    public func jvp(_ tangents: Tensor, cache: any LayerCache) -> Tensor {
        let input = (cache as! Cache).input
        let width = input.columns
        let broadcast = input.rows == 1 && tangents.rows != 1
        return input.withUnsafeBufferPointer { x in
            tangents.withUnsafeBufferPointer { t in
                alpha.value.withUnsafeBufferPointer { a in
                    Tensor(shape: tangents.shape) { out in
                        for index in 0..<t.count {
                            let point = broadcast ? index % width : index
                            out[index] = x[point] > 0 ? t[index] : slope(a, index % width) * t[index]
                        }
                    }
                }
            }
        }
    }
}

extension PReLU {
    static func register(in registry: inout Registry) {
        registry.layers.register("prelu", summary: "x for x > 0, a x otherwise, with the slope a learned", parameters: [
            .boolean("shared", default: false, doc: "one slope for all features (else one per feature)"),
            .number("initial", default: 0.25, doc: "the slope's starting value"),
        ]) { config, context in
            PReLU(inputShape: context.inputShape, shared: try config.bool("shared"), initialSlope: Float(try config.double("initial")))
        }
    }
}

/// Keras's PReLU shapes alpha like one sample (or 1 along shared axes), ours
/// is flat: on flat samples the two agree; other samples are flattened around
/// the Keras layer (by weightless Reshape layers, which weight loading skips).
extension PReLU: KerasCounterpart {
    public func kerasLayers(named name: String) -> [KerasLayerConfig]? {
        let shared = alpha.value.count == 1 ? [ConfigValue.Entry("shared_axes", .list([.int(1)]))] : []
        let prelu = KerasLayerConfig("PReLU", name: name, shared)
        guard inputShape.count != 1 else { return [prelu] }
        let reshape = { (suffix: String, shape: [Int]) in
            KerasLayerConfig("Reshape", name: "\(name)_\(suffix)", [ConfigValue.Entry("target_shape", .list(shape.map { .int($0) }))])
        }
        return [reshape("flat", [inputShape.reduce(1, *)]), prelu, reshape("shaped", inputShape)]
    }
}
