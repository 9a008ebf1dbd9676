import Foundation
import LabCore
import LabModules
import Testing
import TestSupport

@testable import LabRunner

/// What a reader sees of one trained run in the report: a per-cell table
/// whose cells add up to the points, a loss axis that names the loss, and
/// iterate strips with headers, the nearest image and the data's range.
@Suite(.serialized) struct ReportBuilderTests {
    static let config = """
        name: small
        seed: 5
        data: {type: random, count: 16, shape: [16]}
        model:
          mlp: {width: 8, depth: 1}
        training: {loss: mse, optimizer: {type: rmsprop, learning_rate: 0.01}, epochs: 40, batch_size: 16}
        analyses: [attractors, iterates]
        """

    func report() throws -> (ReportDocument, TemporaryDirectory) {
        let folder = TemporaryDirectory()
        let path = folder.file("small.yaml")
        try Self.config.write(toFile: path, atomically: true, encoding: .utf8)
        let pipeline = ExperimentPipeline(registry: BuiltinModules.registry)
        let (experiment, run) = try pipeline.prepare(path, runDirectory: folder.file("run"))
        _ = try pipeline.complete(experiment, in: run, progress: ProgressReporter(totalEpochs: 40, isTerminal: false, write: { _ in }))
        return (try ReportBuilder(directory: run.path).build(), folder)
    }

    @Test func thePerCellTableAddsUpToThePointsInWholeCounts() throws {
        let (document, _) = try report()
        let (header, rows) = try #require(document.blocks.lazy.compactMap { block -> ([String], [[String]])? in
            if case .table(let header, let rows) = block, header.contains("points") { return (header, rows) } else { return nil }
        }.first)
        let row = try #require(rows.first)
        let value = { (column: String) in Int(row[header.firstIndex(of: column)!]) }
        let cells = ["fixed, r<1", "fixed, r>1", "not fixed, r<1", "not fixed, r>1", "r = 1", "no radius"].map(value)
        #expect(cells.allSatisfy { $0 != nil }, "whole counts print as integers: \(row)")
        #expect(cells.compactMap { $0 }.reduce(0, +) == 16 && value("points") == 16)
        #expect(header.contains("final loss (one repeat: no interval)") && !header.contains { $0.contains("95%") })
    }

    @Test func theLossAxisNamesTheLoss() throws {
        let (document, _) = try report()
        let chart = try #require(document.blocks.lazy.compactMap { block -> String? in
            if case .svg(let name, let text, _) = block, name.hasPrefix("loss-") { return text } else { return nil }
        }.first)
        #expect(chart.contains("training loss (MSE, mean over batches)"))
    }

    @Test func iterateStripsHaveHeadersTheNearestImageAndSayWhatIsShown() throws {
        let (document, _) = try report()
        let (text, caption) = try #require(document.blocks.lazy.compactMap { block -> (String, String)? in
            if case .svg(let name, let text, let caption) = block, name == "iterates-0" { return (text, caption) } else { return nil }
        }.first)
        for title in ["image", "f", "f²", "f⁵", "f²⁰", "f¹⁰⁰", "f¹⁰⁰⁰", "nearest"] {
            #expect(text.contains(">\(title)</text>"), "no column \(title)")
        }
        #expect(text.contains("data:image/png;base64,"))
        #expect(caption.contains("the first 6 of the 16 training images"))
        #expect(caption.contains("training data's range") && caption.contains("clipped") && caption.contains("red: not a finite number"))
    }
}
