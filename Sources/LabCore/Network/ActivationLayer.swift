/// The one adapter that makes any `Activation` a layer.
public final class ActivationLayer: Layer {
    public let typeName: String
    public let activation: any Activation
    public let inputShape: [Int]
    public var outputShape: [Int] { inputShape }

    struct Cache: LayerCache {
        let input: Tensor
        let output: Tensor
    }

    public init(typeName: String, activation: any Activation, inputShape: [Int]) {
        self.typeName = typeName
        self.activation = activation
        self.inputShape = inputShape
    }

    public func forward(_ input: Tensor) -> (output: Tensor, cache: any LayerCache) {
        let output = input.withUnsafeBufferPointer { source in
            Tensor(shape: input.shape) { destination in
                // Elementwise, so chunks on both cores give the same values as one pass.
                ParallelLoop.forEachChunk(count: source.count) { range in
                    activation.apply(UnsafeBufferPointer(rebasing: source[range]),
                                     into: UnsafeMutableBufferPointer(rebasing: destination[range]))
                }
            }
        }
        return (output, Cache(input: input, output: output))
    }

    public func backward(_ outputGradient: Tensor, cache: any LayerCache, needsInputGradient: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        return jvp(outputGradient, cache: cache)  // elementwise: J is diagonal, so Jᵀg = Jg
    }

    public func jvp(_ tangents: Tensor, cache: any LayerCache) -> Tensor {
        let cache = cache as! Cache
        let width = cache.input.columns
        precondition(tangents.columns == width, "tangent width \(tangents.columns) differs from the layer's \(width)")
        let broadcast = cache.input.rows == 1 && tangents.rows != 1
        precondition(broadcast || cache.input.rows == tangents.rows,
                     "tangent batch \(tangents.rows) does not match the cached batch \(cache.input.rows)")
        return cache.input.withUnsafeBufferPointer { input in
            cache.output.withUnsafeBufferPointer { output in
                tangents.withUnsafeBufferPointer { vector in
                    Tensor(shape: tangents.shape) { result in
                        guard broadcast else {
                            ParallelLoop.forEachChunk(count: result.count) { range in
                                activation.multiplyByDerivative(
                                    UnsafeBufferPointer(rebasing: vector[range]),
                                    input: UnsafeBufferPointer(rebasing: input[range]),
                                    output: UnsafeBufferPointer(rebasing: output[range]),
                                    into: UnsafeMutableBufferPointer(rebasing: result[range]))
                            }
                            return
                        }
                        for row in 0..<tangents.rows {
                            let range = (row * width)..<((row + 1) * width)
                            activation.multiplyByDerivative(
                                UnsafeBufferPointer(rebasing: vector[range]), input: input, output: output,
                                into: UnsafeMutableBufferPointer(rebasing: result[range]))
                        }
                    }
                }
            }
        }
    }
}

extension ActivationLayer: KerasCounterpart {
    public func kerasLayers(named name: String) -> [KerasLayerConfig]? {
        (activation as? any KerasActivation).map { [$0.kerasLayer(named: name)] }
    }
}
