/// Where a fine-tuning run's starting weights came from: the checkpoint file,
/// the experiment and epoch it was saved at, and which of its layers were
/// loaded. Every checkpoint of that run carries it (root attributes
/// `initial_weights`, `initial_weights_experiment`, `initial_weights_epoch`,
/// `initial_weights_layers`), so resuming keeps it.
public struct WeightsOrigin: Sendable, Equatable {
    public var file: String
    public var experiment: String
    public var epoch: Int
    public var loadedLayers: [String]

    public init(file: String, experiment: String, epoch: Int, loadedLayers: [String]) {
        self.file = file
        self.experiment = experiment
        self.epoch = epoch
        self.loadedLayers = loadedLayers
    }
}
