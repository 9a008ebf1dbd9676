/// A sequence of named layers: the autoencoder f.
public final class Network {
    public let inputShape: [Int]
    public let layers: [any Layer]
    /// One name per layer (`dense_1`, `relu_1`): checkpoint groups use them.
    public let layerNames: [String]

    public init(inputShape: [Int], layers: [any Layer], layerNames: [String]) {
        precondition(layers.count == layerNames.count, "one name per layer")
        precondition(Set(layerNames).count == layerNames.count, "layer names must be unique: \(layerNames)")
        self.inputShape = inputShape
        self.layers = layers
        self.layerNames = layerNames
    }

    public var outputShape: [Int] { layers.last?.outputShape ?? inputShape }

    /// All parameters, layer by layer, in a fixed order (the optimizer's order).
    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.scalarCount } }

    public func initializeParameters(using rng: inout RandomGenerator) {
        for layer in layers { layer.initializeParameters(using: &rng) }
    }

    /// f(batch) with every layer's cache, for `backward` and `jvp`.
    public func forward(_ batch: Tensor) -> (output: Tensor, caches: [any LayerCache]) {
        let (output, caches, _) = forward(batch, keepingOutputsOf: [])
        return (output, caches)
    }

    /// f(batch) with every layer's cache and the outputs of the layers at
    /// `indices` (for penalties on hidden activations; shared, not copied).
    public func forward(_ batch: Tensor, keepingOutputsOf indices: Set<Int>)
        -> (output: Tensor, caches: [any LayerCache], kept: [Int: Tensor]) {
        var activations = batch
        var caches: [any LayerCache] = []
        var kept: [Int: Tensor] = [:]
        caches.reserveCapacity(layers.count)
        for (index, layer) in layers.enumerated() {
            let (output, cache) = layer.forward(activations)
            caches.append(cache)
            if indices.contains(index) { kept[index] = output }
            activations = output
        }
        return (activations, caches, kept)
    }

    /// f(batch), keeping nothing.
    public func callAsFunction(_ batch: Tensor) -> Tensor {
        var activations = batch
        for layer in layers { activations = layer.forward(activations).output }
        return activations
    }

    /// Back-propagates dLoss/dOutput, leaving each parameter's gradient set.
    /// `extraGradients[i]` is added to the gradient of layer i's output (the
    /// gradient of a penalty on that layer's activations).
    public func backward(_ outputGradient: Tensor, caches: [any LayerCache], extraGradients: [Int: Tensor] = [:]) {
        var gradient = outputGradient
        for index in layers.indices.reversed() {
            if let extra = extraGradients[index] {
                gradient.withUnsafeMutableBufferPointer { g in
                    extra.withUnsafeBufferPointer { e in for i in 0..<g.count { g[i] += e[i] } }
                }
            }
            guard let next = layers[index].backward(gradient, cache: caches[index], needsInputGradient: index > 0)
            else { break }
            gradient = next
        }
    }

    /// J·t for each tangent row of `tangents`, at the point whose caches are
    /// given, through `layerRange` (all layers by default): the Jacobian of
    /// that stretch of the network, for analyses that split it at a bottleneck.
    public func jvp(_ tangents: Tensor, caches: [any LayerCache], layers layerRange: Range<Int>? = nil) -> Tensor {
        var vectors = tangents
        for index in layerRange ?? layers.indices { vectors = layers[index].jvp(vectors, cache: caches[index]) }
        return vectors
    }
}
