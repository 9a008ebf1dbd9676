import LabCore

/// Projects each sample onto the unit sphere, y = x / ‖x‖ (the spherical
/// latent space of the neuromatch autoencoder tutorial). Its Jacobian is
/// (I - y yᵀ) / ‖x‖, symmetric, so backward and jvp share one formula. A
/// sample of norm below 1e-12 maps to itself scaled by 1e12 rather than
/// dividing by zero.
public final class Normalize: Layer {
    public let typeName = "normalize"
    public let inputShape: [Int]
    public var outputShape: [Int] { inputShape }

    struct Cache: LayerCache {
        let output: Tensor
        let norms: [Float]
    }

    public init(inputShape: [Int]) {
        self.inputShape = inputShape
    }

    public func forward(_ input: Tensor) -> (output: Tensor, cache: any LayerCache) {
        let width = input.columns
        var norms = [Float](repeating: 0, count: input.rows)
        let output = input.withUnsafeBufferPointer { x in
            Tensor(shape: input.shape) { y in
                for row in 0..<input.rows {
                    var sum: Float = 0
                    for index in (row * width)..<((row + 1) * width) { sum += x[index] * x[index] }
                    norms[row] = max(sum.squareRoot(), 1e-12)
                    for index in (row * width)..<((row + 1) * width) { y[index] = x[index] / norms[row] }
                }
            }
        }
        return (output, Cache(output: output, norms: norms))
    }

    public func backward(_ outputGradient: Tensor, cache: any LayerCache, needsInputGradient: Bool) -> Tensor? {
        needsInputGradient ? jvp(outputGradient, cache: cache) : nil
    }

    public func jvp(_ tangents: Tensor, cache: any LayerCache) -> Tensor {
        let cache = cache as! Cache
        let width = tangents.columns
        let broadcast = cache.norms.count == 1 && tangents.rows != 1
        return cache.output.withUnsafeBufferPointer { y in
            tangents.withUnsafeBufferPointer { t in
                Tensor(shape: tangents.shape) { out in
                    for row in 0..<tangents.rows {
                        let point = broadcast ? 0 : row
                        var dot: Float = 0
                        for column in 0..<width { dot += y[point * width + column] * t[row * width + column] }
                        for column in 0..<width {
                            out[row * width + column] = (t[row * width + column] - y[point * width + column] * dot) / cache.norms[point]
                        }
                    }
                }
            }
        }
    }
}

extension Normalize {
    static func register(in registry: inout Registry) {
        registry.layers.register("normalize", summary: "each sample projected onto the unit sphere, x / |x|") { _, context in
            Normalize(inputShape: context.inputShape)
        }
    }
}
