import Foundation
import LabCore
import LabIO

/// Runs an experiment's analyses on the weights of one checkpoint, writes
/// `results.json` (summaries) and `results.h5` (arrays, under
/// `/analyses/<type>/`) into the run directory, and returns the printable tables.
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

    public var resultsJSONPath: String { run.file("results.json") }
    public var resultsHDF5Path: String { run.file("results.h5") }

    public func analyze(checkpoint path: String) throws -> [Finding] {
        let checkpoint = try Checkpoint.read(from: path)
        try checkpoint.restoreWeights(into: experiment.network, file: path)
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
        let source = (checkpoint as NSString).lastPathComponent
        let document = ConfigValue.map([
            ConfigValue.Entry("experiment", .string(experiment.name)),
            ConfigValue.Entry("checkpoint", .string(source)),
            ConfigValue.Entry("epoch", .int(epoch)),
            ConfigValue.Entry("analyses", .list(findings.map { finding in
                .map([ConfigValue.Entry("name", .string(finding.name)),
                      ConfigValue.Entry("seconds", .double((finding.seconds * 1000).rounded() / 1000))] + finding.result.summary)
            })),
        ])
        try HDF5File.writeAtomically(resultsHDF5Path) { file in
            try file.setAttribute("checkpoint", source)
            try file.setAttribute("epoch", Int64(epoch))
            for finding in findings {
                let group = "/analyses/\(finding.name)"
                try file.createGroup(group)
                try file.setAttribute("summary", JSONText.encode(.map(finding.result.summary)), on: group)
                for (name, tensor) in finding.result.arrays { try file.write(tensor, at: "\(group)/\(name)") }
            }
        }
        do {
            try (JSONText.encode(document) + "\n").write(toFile: resultsJSONPath, atomically: true, encoding: .utf8)
        } catch {
            throw RunError("\(resultsJSONPath): cannot write the results (\(error.localizedDescription))")
        }
    }

    /// The findings as text tables, one per analysis.
    public static func render(_ findings: [Finding]) -> String {
        findings.map { finding in
            let rows = finding.result.table
            let widths = (0..<(rows.map(\.count).max() ?? 0)).map { column in
                rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
            }
            let lines = rows.map { row in
                row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
            }
            return "\(finding.name) (\(String(format: "%.2f", finding.seconds)) s)\n" + lines.map { "  " + $0 }.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }
}
