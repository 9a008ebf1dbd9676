import LabCore

/// The `training` block's plain settings (modules are built separately).
public struct TrainingSettings: Sendable {
    public var epochs: Int
    public var batchSize: Int
    public var shuffle: Bool
    /// Write `last.h5` every this many epochs (and always at the end).
    public var checkpointEvery: Int

    init(reading config: ConfigReader) throws {
        epochs = try config.int("epochs", range: .atLeast(1))
        batchSize = try config.int("batch_size", default: 32, range: .atLeast(1))
        shuffle = try config.bool("shuffle", default: true)
        checkpointEvery = try config.int("checkpoint_every", default: max(1, epochs / 10), range: .atLeast(1))
    }

    /// Batches per epoch; the last batch holds the remainder, as in Keras.
    public func batchesPerEpoch(sampleCount: Int) -> Int {
        (sampleCount + batchSize - 1) / batchSize
    }
}
