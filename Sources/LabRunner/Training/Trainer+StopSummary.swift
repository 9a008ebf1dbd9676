extension Trainer.Outcome {
    /// Why training ended where it did, for people; nil for a run that simply trained all its epochs.
    public func stopSummary(_ settings: TrainingSettings) -> String? {
        let threshold = settings.stopLossBelow.map { String(format: "%g", $0) }
        switch (stop, threshold) {
        case (.lossBelow, let threshold?):
            return String(format: "stopped at epoch %d of %d: the loss %.6g fell below stop.loss_below %@",
                          finalEpoch, settings.epochs, finalLoss, threshold)
        case (.epochs, let threshold?):
            return String(format: "reached training.epochs (%d) without the loss falling below stop.loss_below %@ (loss %.6g)",
                          finalEpoch, threshold, finalLoss)
        case (nil, _):
            return "paused at epoch \(finalEpoch) of \(settings.epochs); run again to resume"
        default:
            return nil
        }
    }
}
