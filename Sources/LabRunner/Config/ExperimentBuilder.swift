import Foundation
import LabCore

/// The one way an experiment is composed, whatever it comes from: a config
/// file with overrides, a sweep point, or a finished experiment given other
/// analyses. Relative paths in a config resolve against its file's folder.
public struct ExperimentBuilder {
    public var registry: Registry
    /// False for checking a config: composed experiments keep their
    /// parameters unallocated, which nothing but training and analyses reads.
    public var initializesParameters = true

    public init(registry: Registry) { self.registry = registry }

    /// The experiment of a config file (a run directory's config.yaml too),
    /// with `overrides` put in first; every mistake is a `ConfigError` at its
    /// line. A file with a `sweep` block declares many: see `SweepPlan`.
    public func experiment(configFile path: String, overrides: [ConfigOverride] = []) throws -> Experiment {
        var root = try YAMLConfigLoader.load(file: path)
        if let sweep = root["sweep"] {
            throw sweep.error("this file declares a sweep: run it with `aelab sweep \(path)`, or remove the sweep block to run one experiment")
        }
        // Report and slurm blocks lay out and schedule a sweep; one experiment has no use for them.
        root = root.removing("report").removing("slurm")
        for override in overrides { try override.apply(to: &root) }
        return try Experiment(config: root, registry: registry, baseDirectory: Self.folder(of: path), source: path,
                              initializingParameters: initializesParameters)
    }

    /// Point `point` of a sweep, its config resolved against the sweep file's folder.
    public func experiment(point: SweepPoint, of plan: SweepPlan) throws -> Experiment {
        try Experiment(config: point.config, registry: registry, baseDirectory: Self.folder(of: plan.configFile), source: plan.configFile,
                       initializingParameters: initializesParameters)
    }

    /// `experiment` with the analyses of another config file instead of its
    /// own: a new experiment, whose resolved config lists those analyses.
    public func experiment(_ experiment: Experiment, analysesOf path: String) throws -> Experiment {
        let other = try YAMLConfigLoader.load(file: path)
        guard let analyses = other["analyses"] else { throw RunError("\(path): has no 'analyses' list") }
        var root = ConfigNode.synthesized(experiment.resolvedConfig, keyPath: "", origin: experiment.source)
        try ConfigOverride(keyPath: "analyses", value: analyses, origin: analyses.location).apply(to: &root)
        return try Experiment(config: root, registry: registry, baseDirectory: Self.folder(of: experiment.source), source: experiment.source,
                              initializingParameters: initializesParameters)
    }

    static func folder(of path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }
}
