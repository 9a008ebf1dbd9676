import LabIO

/// What results.json holds: which experiment and checkpoint the analyses
/// ran on (and why training ended at its epoch, when it did), and each
/// analysis's record, in the order the config lists them.
public struct RunResults: Sendable, Equatable, Codable {
    public var experiment: String
    public var checkpoint: String
    public var epoch: Int
    public var stop: TrainingStop?
    public var analyses: [AnalysisRecord]

    public init(experiment: String, checkpoint: String, epoch: Int, stop: TrainingStop? = nil, analyses: [AnalysisRecord]) {
        (self.experiment, self.checkpoint, self.epoch, self.stop, self.analyses) = (experiment, checkpoint, epoch, stop, analyses)
    }

    /// The first analysis of that name.
    public func analysis(_ name: String) -> AnalysisRecord? { analyses.first { $0.name == name } }
}
