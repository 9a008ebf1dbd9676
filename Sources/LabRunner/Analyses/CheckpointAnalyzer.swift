import Foundation
import LabCore
import LabIO

/// Runs an experiment's analyses on the weights of one checkpoint, writes
/// their results into the run directory (`ResultsFile`), and returns the
/// printable tables.
public struct CheckpointAnalyzer {
    public struct Finding {
        public var name: String
        public var result: AnalysisResult
        public var seconds: Double
        /// The checkpoint file whose weights the analysis studied.
        public var weights: String
        /// The checkpoint of the initial weights it compared with, if it did.
        public var initialWeights: String?
    }

    let experiment: Experiment
    let run: RunDirectory

    public init(experiment: Experiment, run: RunDirectory) {
        self.experiment = experiment
        self.run = run
    }

    public var results: ResultsFile { ResultsFile(run: run) }

    /// Runs every analysis on the weights of `path`, or of the run's
    /// `init.h5` for an analysis with `weights: initial`; an analysis that
    /// compares with the initial weights gets both.
    public func analyze(checkpoint path: String) throws -> [Finding] {
        let checkpoint = try load(path, into: experiment.network)
        var initialNetwork: Network?
        func initial() throws -> Network {
            if let initialNetwork { return initialNetwork }
            let network = try experiment.newNetwork()
            _ = try load(run.initialCheckpointPath, into: network)
            initialNetwork = network
            return network
        }
        let points = experiment.dataset.allSamples()
        var findings: [Finding] = []
        var seen: [String: Int] = [:]
        let clock = ContinuousClock()
        for (index, (analysis, weights)) in zip(experiment.analyses, experiment.analysisWeights).enumerated() {
            seen[analysis.typeName, default: 0] += 1
            let name = seen[analysis.typeName]! == 1 ? analysis.typeName : "\(analysis.typeName)_\(seen[analysis.typeName]!)"
            let start = clock.now
            let comparing = (analysis as? any ComparingAnalysis).flatMap { $0.comparesInitialWeights ? $0 : nil }
            let result: AnalysisResult
            do {
                let network = weights == .initial ? try initial() : experiment.network
                result = try comparing.map { try $0.run(network: network, initialNetwork: try initial(), trainingPoints: points) }
                    ?? analysis.run(network: network, trainingPoints: points)
            } catch {
                throw RunError("\(experiment.source): analyses[\(index)] (\(analysis.typeName)) on \(path): \(error)")
            }
            let initialFile = (run.initialCheckpointPath as NSString).lastPathComponent
            findings.append(Finding(name: name, result: result, seconds: (clock.now - start).inSeconds,
                                    weights: weights == .initial ? initialFile : (path as NSString).lastPathComponent,
                                    initialWeights: comparing == nil ? nil : initialFile))
        }
        try write(findings, checkpoint: path, epoch: checkpoint.epoch, stop: checkpoint.stop)
        return findings
    }

    /// Reads the checkpoint at `path`, checks it is this run's, and copies its weights into `network`.
    func load(_ path: String, into network: Network) throws -> Checkpoint {
        guard FileManager.default.fileExists(atPath: path) else {
            let why = path == run.initialCheckpointPath
                ? " (an analysis asks for the initial weights, which a run writes before its first step; this run began without them: train it again in a new run directory)"
                : ""
            throw RunError("\(path): no such checkpoint\(why)")
        }
        let checkpoint = try Checkpoint.read(from: path)
        // Analyses may come from another config (`aelab analyze --analyses`); the rest must be this run's.
        try checkpoint.check(belongsTo: experiment, file: path, ignoringAnalyses: true)
        try checkpoint.restoreWeights(into: network, file: path)
        // NaN or Inf weights (a diverged run's) make every analysis meaningless, and LAPACK's errors obscure.
        for (layer, name) in zip(network.layers, network.layerNames) {
            if let bad = layer.parameters.first(where: { !$0.value.scalars.allSatisfy(\.isFinite) }) {
                throw RunError("\(path): the weights of \(name) (\(bad.name)) hold NaN or Inf values; nothing to analyse (did training diverge?)")
            }
        }
        return checkpoint
    }

    func write(_ findings: [Finding], checkpoint: String, epoch: Int, stop: TrainingStop?) throws {
        let records = findings.map { finding in
            AnalysisRecord(name: finding.name, seconds: (finding.seconds * 1000).rounded() / 1000, summary: finding.result.summary,
                           tables: finding.result.tables, charts: finding.result.charts, imageStrips: finding.result.imageStrips,
                           weights: finding.weights, initialWeights: finding.initialWeights)
        }
        let document = RunResults(experiment: experiment.name, checkpoint: (checkpoint as NSString).lastPathComponent,
                                  epoch: epoch, stop: stop, analyses: records)
        try results.write(document, arrays: Dictionary(uniqueKeysWithValues: findings.map { ($0.name, $0.result.arrays) }))
    }

    /// The findings as text tables, one per analysis.
    public static func render(_ findings: [Finding]) -> String {
        findings.map { finding in
            let lines = TextTable.lines(finding.result.table)
            return "\(finding.name) (\(String(format: "%.2f", finding.seconds)) s)\n" + lines.map { "  " + $0 }.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }
}
