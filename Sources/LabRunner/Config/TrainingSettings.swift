import LabCore

/// The `training` block's plain settings (modules are built separately).
public struct TrainingSettings: Sendable {
    public var epochs: Int
    public var batchSize: Int
    public var shuffle: Bool
    /// Write `last.h5` every this many epochs (and always at the end).
    public var checkpointEvery: Int
    /// Every this many epochs (0: never), also the loss of the epoch's final
    /// weights on every training sample, clean and without penalties.
    public var fullLossEvery: Int
    /// Flush denormal floats to zero during training (see `DenormalMode`), as
    /// TensorFlow does on the CPU; false keeps IEEE gradual underflow.
    public var flushDenormals: Bool

    init(reading config: ConfigReader) throws {
        epochs = try config.int("epochs", range: .atLeast(1))
        batchSize = try config.int("batch_size", default: 32, range: .atLeast(1))
        shuffle = try config.bool("shuffle", default: true)
        checkpointEvery = try config.int("checkpoint_every", default: max(1, epochs / 10), range: .atLeast(1))
        fullLossEvery = try config.int("full_loss_every", default: 0, range: .nonNegative)
        flushDenormals = try config.bool("flush_denormals", default: true)
    }

    /// Whether `epoch` records the full-data loss beside the mean batch loss.
    public func recordsFullLoss(at epoch: Int) -> Bool {
        fullLossEvery > 0 && epoch % fullLossEvery == 0
    }

    /// Batches per epoch; the last batch holds the remainder, as in Keras.
    public func batchesPerEpoch(sampleCount: Int) -> Int {
        (sampleCount + batchSize - 1) / batchSize
    }
}
