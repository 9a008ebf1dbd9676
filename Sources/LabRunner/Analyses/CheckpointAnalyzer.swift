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
    }

    let experiment: Experiment
    let run: RunDirectory

    public init(experiment: Experiment, run: RunDirectory) {
        self.experiment = experiment
        self.run = run
    }

    public var results: ResultsFile { ResultsFile(run: run) }

    public func analyze(checkpoint path: String) throws -> [Finding] {
        let checkpoint = try Checkpoint.read(from: path)
        // Analyses may come from another config (`aelab analyze --analyses`); the rest must be this run's.
        try checkpoint.check(belongsTo: experiment, file: path, ignoringAnalyses: true)
        try checkpoint.restoreWeights(into: experiment.network, file: path)
        // NaN or Inf weights (a diverged run's) make every analysis meaningless, and LAPACK's errors obscure.
        for (layer, name) in zip(experiment.network.layers, experiment.network.layerNames) {
            if let bad = layer.parameters.first(where: { !$0.value.scalars.allSatisfy(\.isFinite) }) {
                throw RunError("\(path): the weights of \(name) (\(bad.name)) hold NaN or Inf values; nothing to analyse (did training diverge?)")
            }
        }
        let points = experiment.dataset.allSamples()
        var findings: [Finding] = []
        var seen: [String: Int] = [:]
        let clock = ContinuousClock()
        for (index, analysis) in experiment.analyses.enumerated() {
            seen[analysis.typeName, default: 0] += 1
            let name = seen[analysis.typeName]! == 1 ? analysis.typeName : "\(analysis.typeName)_\(seen[analysis.typeName]!)"
            let start = clock.now
            let result: AnalysisResult
            do {
                result = try analysis.run(network: experiment.network, trainingPoints: points)
            } catch {
                throw RunError("\(experiment.source): analyses[\(index)] (\(analysis.typeName)) on \(path): \(error)")
            }
            findings.append(Finding(name: name, result: result, seconds: (clock.now - start).inSeconds))
        }
        try write(findings, checkpoint: path, epoch: checkpoint.epoch)
        return findings
    }

    func write(_ findings: [Finding], checkpoint: String, epoch: Int) throws {
        let records = findings.map { finding in
            AnalysisRecord(name: finding.name, seconds: (finding.seconds * 1000).rounded() / 1000, summary: finding.result.summary,
                           tables: finding.result.tables, charts: finding.result.charts, imageStrips: finding.result.imageStrips)
        }
        let document = RunResults(experiment: experiment.name, checkpoint: (checkpoint as NSString).lastPathComponent,
                                  epoch: epoch, analyses: records)
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
