extension Network {
    /// The same map with every kinked activation's derivative at its kink set
    /// to `value`, for linearising the network under another convention than
    /// training's. Layers with parameters are shared, not copied, so the
    /// result always computes with the current weights.
    public func withDerivativeAtKinks(_ value: Float) -> Network {
        let adjusted = layers.map { layer -> any Layer in
            guard let activationLayer = layer as? ActivationLayer,
                  let kinked = activationLayer.activation as? any KinkedActivation else { return layer }
            return ActivationLayer(typeName: activationLayer.typeName, activation: kinked.withDerivativeAtKink(value),
                                   inputShape: activationLayer.inputShape)
        }
        return Network(inputShape: inputShape, layers: adjusted, layerNames: layerNames)
    }
}
