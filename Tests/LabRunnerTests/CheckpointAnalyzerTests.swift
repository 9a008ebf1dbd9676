import Foundation
import Testing
import TestSupport
import LabCore
import LabIO
import LabModules
@testable import LabRunner

@Suite(.serialized) struct CheckpointAnalyzerTests {
    /// Trains on `count` random points and runs the attractor analyses on the result.
    func trainAndAnalyze(count: Int, epochs: Int) throws -> (findings: [CheckpointAnalyzer.Finding], run: RunDirectory, folder: TemporaryDirectory) {
        let folder = TemporaryDirectory()
        let config = folder.file("exp.yaml")
        try """
            name: single
            seed: 2
            data: {type: random, count: \(count), shape: [24]}
            model:
              mlp: {width: 12, depth: 2}
            training:
              optimizer: {type: adam, learning_rate: 0.01}
              epochs: \(epochs)
              batch_size: \(count)
            analyses:
              - fixed_points
              - {type: jacobian_spectrum, top_k: 2, leading_vector: true}
              - attractors
              - {type: basins, noise: [0.01], trials: 4}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let pipeline = ExperimentPipeline(registry: BuiltinModules.registry)
        let (experiment, run) = try pipeline.prepare(config, runDirectory: folder.file("run"))
        _ = try pipeline.train(experiment, in: run, progress: ProgressReporter(totalEpochs: epochs, isTerminal: false, write: { _ in }))
        let findings = try CheckpointAnalyzer(experiment: experiment, run: run).analyze(checkpoint: run.lastCheckpointPath)
        return (findings, run, folder)
    }

    func value(_ finding: CheckpointAnalyzer.Finding, _ key: String) -> ConfigValue? {
        finding.result.summary.first { $0.key == key }?.value
    }

    /// The known answer of the theory papers: a network trained to reproduce a
    /// single point has it as an attractor, and noise around it comes back.
    @Test func aNetworkTrainedOnOnePointHasItAsAnAttractor() throws {
        let (findings, run, folder) = try trainAndAnalyze(count: 1, epochs: 600)
        defer { withExtendedLifetime(folder) {} }
        #expect(findings.map(\.name) == ["fixed_points", "jacobian_spectrum", "attractors", "basins"])
        #expect(value(findings[0], "fixed_points") == .int(1))
        #expect(value(findings[0], "strict_fixed_points") == .int(1))
        #expect(value(findings[2], "attractors") == .int(1))
        #expect(value(findings[2], "strict_attractors") == .int(1))
        guard case .double(let radius)? = value(findings[1], "radius_max") else { Issue.record("no radius"); return }
        #expect(radius < 1)
        guard case .list(let levels)? = value(findings[3], "levels") else { Issue.record("no levels"); return }
        #expect(levels.first?.value(at: "returned_fraction") == .double(1))

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run.file("results.json")))) as? [String: Any]
        #expect(json?["epoch"] as? Int == 600)
        let analyses = json?["analyses"] as? [[String: Any]]
        #expect(analyses?.map { $0["name"] as? String } == ["fixed_points", "jacobian_spectrum", "attractors", "basins"])
        let perPoint = analyses?[2]["per_point"] as? [[String: Any]]
        #expect(perPoint?.count == 1)
        #expect(perPoint?.first?["attractor"] as? Bool == true)
        let arrays = try HDF5File.openForReading(run.file("results.h5"))
        #expect(try arrays.readTensor(at: "/analyses/attractors/spectral_radius").shape == [1])
        #expect(try arrays.readTensor(at: "/analyses/jacobian_spectrum/leading_eigenvector").shape == [1, 2, 24])
        #expect(try arrays.readTensor(at: "/analyses/fixed_points/limits").shape == [1, 24])
        let summary = try JSONSerialization.jsonObject(with: Data(try arrays.stringAttribute("summary", on: "/analyses/attractors").utf8))
        #expect((summary as? [String: Any])?["attractors"] as? Int == 1)
    }

    @Test func anAnalysisThatCannotRunNamesTheConfigEntry() throws {
        let folder = TemporaryDirectory()
        let config = folder.file("exp.yaml")
        try """
            name: wide
            data: {type: random, count: 2, shape: [4]}
            model: {layers: [{type: dense, units: 8}, relu, {type: dense, units: 4}]}
            training: {optimizer: sgd, epochs: 1, batch_size: 2}
            analyses: [{type: jacobian_spectrum, route: low_rank}]
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let pipeline = ExperimentPipeline(registry: BuiltinModules.registry)
        let (experiment, run) = try pipeline.prepare(config, runDirectory: folder.file("run"))
        _ = try pipeline.train(experiment, in: run, progress: ProgressReporter(totalEpochs: 1, isTerminal: false, write: { _ in }))
        let error = #expect(throws: RunError.self) {
            try CheckpointAnalyzer(experiment: experiment, run: run).analyze(checkpoint: run.lastCheckpointPath)
        }
        #expect(error?.description.hasPrefix("\(config): analyses[0] (jacobian_spectrum)") == true, "\(String(describing: error))")
        #expect(error?.description.contains("use route full") == true)
    }

    @Test func tablesRenderAligned() {
        let finding = CheckpointAnalyzer.Finding(name: "x", result: AnalysisResult(summary: [], table: [["", "a"], ["long", "b"]]), seconds: 0.5,
                                                 weights: "last.h5")
        #expect(CheckpointAnalyzer.render([finding]) == "x (0.50 s)\n        a\n  long  b")
    }
}
