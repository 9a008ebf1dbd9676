/// An analysis that studies one named layer of the network. The experiment
/// checks the name against the network's layers when it is composed, so a
/// misspelt name is reported at its line before any training, not after it.
public protocol LayerSelectingAnalysis: Analysis {
    /// The layer the config names; nil: the analysis's own default.
    var layer: String? { get }
}
