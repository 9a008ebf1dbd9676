/// An activation that Keras has: the Keras layer applying it, so an
/// `ActivationLayer` of it has a Keras counterpart.
public protocol KerasActivation: Activation {
    func kerasLayer(named name: String) -> KerasLayerConfig
}

extension KerasActivation {
    /// Keras's `Activation` layer with one of its named functions (`relu`, `linear`).
    public func kerasActivationLayer(_ function: String, named name: String) -> KerasLayerConfig {
        KerasLayerConfig("Activation", name: name, [ConfigValue.Entry("activation", .string(function))])
    }
}
