/// A sequence of named layers: the autoencoder f.
public final class Network {
    public let inputShape: [Int]
    public let layers: [any Layer]
    /// One name per layer (`dense_1`, `relu_1`): checkpoint groups use them.
    public let layerNames: [String]
    /// One flag per layer: a frozen layer (false) keeps its parameters as they
    /// are; training steps and optimizer state cover only trainable layers.
    public let trainable: [Bool]

    public init(inputShape: [Int], layers: [any Layer], layerNames: [String], trainable: [Bool]? = nil) {
        precondition(layers.count == layerNames.count, "one name per layer")
        precondition(Set(layerNames).count == layerNames.count, "layer names must be unique: \(layerNames)")
        precondition(trainable.map { $0.count == layers.count } ?? true, "one trainable flag per layer")
        self.inputShape = inputShape
        self.layers = layers
        self.layerNames = layerNames
        self.trainable = trainable ?? Array(repeating: true, count: layers.count)
    }

    public var outputShape: [Int] { layers.last?.outputShape ?? inputShape }

    /// All parameters, layer by layer, in a fixed order (the optimizer's order).
    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.scalarCount } }

    /// The parameters of the trainable layers, in `parameters` order: what the optimizer steps.
    public var trainableParameters: [Parameter] {
        zip(layers, trainable).flatMap { layer, isTrainable in isTrainable ? layer.parameters : [] }
    }

    /// `layer/parameter` for each of `trainableParameters`, as checkpoints name optimizer slots.
    public var trainableParameterPaths: [String] {
        zip(layerNames, zip(layers, trainable)).flatMap { name, entry in
            entry.1 ? entry.0.parameters.map { "\(name)/\($0.name)" } : []
        }
    }

    /// The first layer with trainable parameters: backward need not go below it.
    var lowestTrainableLayer: Int? {
        layers.indices.first { trainable[$0] && !layers[$0].parameters.isEmpty }
    }

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

    /// Back-propagates dLoss/dOutput, leaving each parameter's gradient set
    /// down to the lowest trainable layer (below it nothing would read them).
    /// `extraGradients[i]` is added to the gradient of layer i's output (the
    /// gradient of a penalty on that layer's activations).
    public func backward(_ outputGradient: Tensor, caches: [any LayerCache], extraGradients: [Int: Tensor] = [:]) {
        guard let lowest = lowestTrainableLayer else { return }
        var gradient = outputGradient
        for index in (lowest..<layers.count).reversed() {
            if let extra = extraGradients[index] {
                gradient.withUnsafeMutableBufferPointer { g in
                    extra.withUnsafeBufferPointer { e in for i in 0..<g.count { g[i] += e[i] } }
                }
            }
            guard let next = layers[index].backward(gradient, cache: caches[index], needsInputGradient: index > lowest)
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
