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

    /// `stop.loss_below`: training ends at the first epoch whose loss is below
    /// this (`epochs` stays the cap); nil trains all `epochs`.
    public var stopLossBelow: Double?

    /// Every key of the `training` block: these settings and the modules beside them.
    static let keys = ["loss", "optimizer", "schedule", "epochs", "batch_size", "shuffle", "checkpoint_every", "full_loss_every",
                       "flush_denormals", "stop", "initial_weights", "corruption", "regularizers"]

    init(reading config: ConfigReader) throws {
        epochs = try config.int("epochs", range: .atLeast(1))
        batchSize = try config.int("batch_size", default: 32, range: .atLeast(1))
        shuffle = try config.bool("shuffle", default: true)
        checkpointEvery = try config.int("checkpoint_every", default: max(1, epochs / 10), range: .atLeast(1))
        fullLossEvery = try config.int("full_loss_every", default: 0, range: .nonNegative)
        flushDenormals = try config.bool("flush_denormals", default: true)
        stopLossBelow = try Self.readStop(config)
    }

    /// The `stop` block, recorded only when given so configs without it resolve as before.
    private static func readStop(_ config: ConfigReader) throws -> Double? {
        guard let node = config.node("stop") else { return nil }
        let stop = try ConfigReader(node)
        let threshold = try stop.double("loss_below", range: .positive)
        try stop.finish()
        config.record("stop", stop.resolvedValue)
        return threshold
    }

    /// Whether an epoch that ended with `loss` ends training by the stop rule.
    public func stopsTraining(atLoss loss: Double) -> Bool {
        stopLossBelow.map { loss < $0 } ?? false
    }

    /// Whether `epoch` records the full-data loss beside the mean batch loss.
    public func recordsFullLoss(at epoch: Int) -> Bool {
        fullLossEvery > 0 && epoch % fullLossEvery == 0
    }

    /// Batches per epoch; the last batch holds the remainder, as in Keras.
    public func batchesPerEpoch(sampleCount: Int) -> Int {
        sampleCount.dividedRoundingUp(by: batchSize)
    }
}
