/// Why training ended at a checkpoint: its loss fell below the config's
/// `training.stop.loss_below`, or it reached `training.epochs` without that.
/// A checkpoint written on the way (or at `--stop-at-epoch`) has none.
public enum TrainingStop: String, Sendable, Codable, CaseIterable {
    case lossBelow = "loss_below"
    case epochs
}
