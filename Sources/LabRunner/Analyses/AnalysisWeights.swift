import LabCore

/// Which weights an analysis studies: the checkpoint being analysed (the
/// trained weights, `last.h5` after `aelab run`) or the run's `init.h5`,
/// the weights before the first step. An analysis entry's `weights` key.
public enum AnalysisWeights: String, Sendable, CaseIterable {
    case trained, initial

    /// The `weights` key of an analysis entry (trained when absent) and the
    /// entry without it, for the analysis's own parameters.
    static func split(_ item: ConfigNode) throws -> (weights: AnalysisWeights, given: Bool, analysis: ConfigNode) {
        guard case .mapping(let pairs) = item.content, let node = pairs.first(where: { $0.key == "weights" })?.value else {
            return (.trained, false, item)
        }
        let allowed = allCases.map(\.rawValue).joined(separator: ", ")
        guard case .scalar(let text) = node.content, let weights = AnalysisWeights(rawValue: text) else {
            throw node.error("expected which weights to analyse, got \(node.summary)", allowed: allowed)
        }
        let rest = ConfigNode(.mapping(pairs.filter { $0.key != "weights" }), location: item.location, keyPath: item.keyPath)
        return (weights, true, rest)
    }
}
