/// A layer that Keras has too. Checkpoints describe a network whose layers
/// all conform in Keras's own model config, so `keras.models.load_model`
/// rebuilds it; a network with any other layer gets no model config.
public protocol KerasCounterpart {
    /// The Keras layers computing what this layer computes, in order (usually
    /// one); the one holding the weights is named `name`, as the checkpoint's
    /// weight group is. Nil when this instance has no counterpart (an
    /// activation layer whose activation Keras lacks).
    func kerasLayers(named name: String) -> [KerasLayerConfig]?

    /// What the checkpoint's note calls this layer when `kerasLayers` is nil
    /// (its type name unless the reason lies in its options).
    var kerasAbsenceNote: String { get }
}

extension KerasCounterpart where Self: Layer {
    /// What the checkpoint's note calls this layer when it has no counterpart.
    public var kerasAbsenceNote: String { typeName }
}
