import LabIO
import Yams

/// What a checkpoint read from disk must satisfy before a run trusts it:
/// its metadata may have been edited or copied from another run.
extension Checkpoint {
    /// Refuses an epoch outside 0...training.epochs, a negative optimizer step count, and an embedded config
    /// (attribute `config`) other than `experiment`'s resolved config (the
    /// run's `config.yaml`); with `ignoringAnalyses`, the analyses lists may differ.
    func check(belongsTo experiment: Experiment, file: String, ignoringAnalyses: Bool = false) throws {
        let epochs = experiment.training.epochs
        guard (0...epochs).contains(epoch) else {
            throw FileError(file: file, message: "attribute 'epoch' is \(epoch) (allowed: an integer from 0 to \(epochs), the run's training.epochs)")
        }
        guard optimizerState.iterations >= 0 else {
            throw FileError(file: file, message: "dataset '/optimizer_weights/\(optimizerType)/iterations' is \(optimizerState.iterations) (allowed: an integer >= 0)")
        }
        var expected = try experiment.resolvedYAML
        var stored = config
        if ignoringAnalyses {
            expected = try Self.withoutAnalyses(expected, file: file)
            stored = try Self.withoutAnalyses(stored, file: file)
        }
        if let difference = FirstDifference(expected, stored) {
            throw FileError(file: file, message: "attribute 'config' is another experiment's (line \(difference.line): '\(difference.now)', where this run's config.yaml has '\(difference.was)'); name a checkpoint of this run")
        }
    }

    /// The resolved config without its top-level `analyses` key, written back in one canonical form.
    private static func withoutAnalyses(_ yaml: String, file: String) throws -> String {
        guard let node = try? Yams.compose(yaml: yaml), let mapping = node.mapping else {
            throw FileError(file: file, message: "attribute 'config' is not a YAML mapping (allowed: a run's resolved config)")
        }
        let kept = mapping.filter { $0.key.string != "analyses" }.map { ($0.key, $0.value) }
        return try Yams.serialize(node: Node(kept))
    }
}
