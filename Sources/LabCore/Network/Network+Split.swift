extension Network {
    /// The network cut after the layer `name`: the encoder (the layers up to
    /// and including it) and the decoder (the rest), holding the very same
    /// layer objects, so both read and train this network's parameters.
    /// `decoder(encoder(x))` is `self(x)` exactly.
    public func split(after name: String) throws -> (encoder: Network, decoder: Network) {
        guard let index = layerNames.firstIndex(of: name) else { throw NetworkSplitError(layer: name, names: layerNames) }
        let cut = index + 1
        let encoder = Network(inputShape: inputShape, layers: Array(layers[..<cut]), layerNames: Array(layerNames[..<cut]))
        let decoder = Network(inputShape: layers[index].outputShape, layers: Array(layers[cut...]), layerNames: Array(layerNames[cut...]))
        return (encoder, decoder)
    }

    /// The first layer whose output has the fewest values: the bottleneck's
    /// code (before any activation of the same width that follows it).
    public var narrowestLayerName: String? {
        layers.indices.min { layers[$0].outputShape.reduce(1, *) < layers[$1].outputShape.reduce(1, *) }.map { layerNames[$0] }
    }
}
