import Foundation
import Testing
import TestSupport
import LabCore
import LabModules
@testable import LabRunner

/// `aelab report`'s study layout on a sweep written by hand: results and
/// metrics files only, so every figure in the tables is known.
@Suite struct StudyTablesTests {
    /// Two variants x widths 32, 64 x depths 1, 2, two repeats; repeat r of
    /// cell (w, d) has fixed<1 = w / 8 + d + r and loss 0.1 d + 0.01 r.
    /// With `heldout`, metrics.csv also has a held-out loss, 0.05 above the final loss, after the last epoch only.
    func writeSweep(in folder: TemporaryDirectory, layout: ReportLayout?, leaveIncomplete: String? = nil, heldout: Bool = false) throws -> String {
        var points: [SweepManifest.Point] = []
        for variant in ["bias", "no-bias"] {
            for width in [32, 64] {
                for depth in [1, 2] {
                    for r in 0..<2 {
                        let name = "\(variant)_width=\(width)_depth=\(depth)_r\(r)"
                        points.append(.init(index: points.count, directory: name, variant: variant, values: ["\(width)", "\(depth)"],
                                            repeatIndex: r, seed: r))
                        let run = RunDirectory(path: folder.file("sweep/\(name)"))
                        try run.create(resolvedConfigYAML: "name: x\n")
                        let loss = 0.1 * Double(depth) + 0.01 * Double(r)
                        let metrics = heldout ? "epoch,loss,seconds,heldout_loss\n1,0.5,1.0,\n2,\(loss),\(10 * depth),\(loss + 0.05)\n"
                                              : "epoch,loss,seconds\n1,0.5,1.0\n2,\(loss),\(10 * depth)\n"
                        try metrics.write(toFile: run.metricsPath, atomically: true, encoding: .utf8)
                        let counts = ["fixed_radius_below_1": width / 8 + depth + r, "fixed_radius_above_1": 1, "not_fixed_radius_below_1": 2,
                                      "not_fixed_radius_above_1": 100 - (width / 8 + depth + r) - 3, "strict_attractors": depth,
                                      "did_not_converge": 5, "diverged": r, "attractors": width / 8 + depth + r]
                        var attractors: [String: Any] = counts
                        attractors["name"] = "attractors"
                        let results: [String: Any] = ["experiment": "x", "checkpoint": "last.h5", "epoch": 2, "analyses": [attractors]]
                        try JSONSerialization.data(withJSONObject: results).write(to: URL(fileURLWithPath: run.file("results.json")))
                        if name != leaveIncomplete { try run.markComplete() }
                    }
                }
            }
        }
        let manifest = SweepManifest(name: "grid", configFile: "grid.yaml", gridKeys: ["model.mlp.width", "model.mlp.depth"],
                                     variants: ["bias", "no-bias"], repeats: 2, points: points, layout: layout)
        try manifest.write(to: folder.file("sweep"))
        return folder.file("sweep")
    }

    func tables(_ document: ReportDocument) -> [(header: [String], rows: [[String]])] {
        document.blocks.compactMap { if case .table(let header, let rows) = $0 { return (header, rows) } else { return nil } }
    }

    @Test func depthsAreRowsWidthsColumnsAndEveryCellHoldsTheFourCounts() throws {
        let folder = TemporaryDirectory()
        var builder = ReportBuilder(directory: try writeSweep(in: folder, layout: ReportLayout(rows: "model.mlp.depth", columns: "model.mlp.width"),
                                                             leaveIncomplete: "no-bias_width=64_depth=2_r1"))
        builder.pictureCells = 0
        let document = try builder.build()
        let study = tables(document).filter { $0.header.first == "depth \\ width" }
        #expect(study.count == 8, "four tables for each variant")
        let (fourWay, loss, strict, unsettled) = (study[0], study[1], study[2], study[3])
        #expect(fourWay.header == ["depth \\ width", "32", "64"])
        // Width 32, depth 1: fixed<1 = 4 + 1 + r, mean 5.5 over r = 0, 1.
        #expect(fourWay.rows == [["1", "**5.50** / 1 / 2 / 91.50", "**9.50** / 1 / 2 / 87.50"],
                                 ["2", "**6.50** / 1 / 2 / 90.50", "**10.50** / 1 / 2 / 86.50"]])
        #expect(loss.rows[1][1].hasPrefix("0.205 ± ") && loss.rows[1][1].hasSuffix(", 20 s"), "\(loss.rows)")
        #expect(strict.rows == [["1", "1", "1"], ["2", "2", "2"]])
        #expect(unsettled.rows == [["1", "5 / 0.50", "5 / 0.50"], ["2", "5 / 0.50", "5 / 0.50"]])
        // The no-bias variant's cell with one repeat unfinished says so, and averages what is complete.
        #expect(study[4].rows[1][2] == "**10** / 1 / 2 / 87 (1/2)")
        let (_, html) = try document.write(to: folder.path)
        #expect(try String(contentsOfFile: html, encoding: .utf8).contains("<td><strong>5.50</strong> / 1 / 2 / 91.50</td>"))
    }

    /// The variants table comes under a heading of its own, counts whole where they are.
    @Test func theVariantsTableHasAHeading() throws {
        let folder = TemporaryDirectory()
        var builder = ReportBuilder(directory: try writeSweep(in: folder, layout: nil))
        builder.pictureCells = 0
        let blocks = try builder.build().blocks
        let index = try #require(blocks.firstIndex { if case .table(let header, _) = $0 { header.contains("bias: attractors (strict)") } else { false } })
        let headings = blocks[..<index].compactMap { if case .heading(_, let text) = $0 { text } else { nil } }
        #expect(headings.last == "Variants side by side")
        guard case .table(_, let rows) = blocks[index] else { return }
        #expect(rows[0] == ["32", "1", "5.50 (1)", "0.105 ± 0.064", "5.50 (1)", "0.105 ± 0.064"])
    }

    @Test func theFinalHeldoutLossStandsBesideTheFinalLoss() throws {
        let folder = TemporaryDirectory()
        var builder = ReportBuilder(directory: try writeSweep(in: folder, layout: ReportLayout(rows: "model.mlp.depth", columns: "model.mlp.width"),
                                                             heldout: true))
        builder.pictureCells = 0
        let all = tables(try builder.build())
        let loss = all.filter { $0.header.first == "depth \\ width" }[1]
        // Depth 2: losses 0.2 and 0.21, held-out 0.25 and 0.26.
        #expect(loss.rows[1][1].hasPrefix("0.205 ± ") && loss.rows[1][1].contains(", held-out 0.255 ± ") && loss.rows[1][1].hasSuffix(", 20 s"),
                "\(loss.rows)")
        let perCell = try #require(all.first { $0.header.contains("held-out loss") })
        let column = try #require(perCell.header.firstIndex(of: "held-out loss"))
        #expect(perCell.rows[1][column].hasPrefix("0.255 ± "))

        let plan = try SweepPlan(base: .synthesized(.map([.init("name", .string("grid"))]), keyPath: ""),
                                 sweep: .synthesized(.map([.init("grid", .map([.init("model.mlp.width", .list([.int(32)])),
                                                                              .init("model.mlp.depth", .list([.int(2)]))]))]), keyPath: "sweep"),
                                 file: "grid.yaml")
        let lines = SweepOutcomeTable.lines(plan: plan, runDirectory: { _ in RunDirectory(path: folder.file("sweep/bias_width=32_depth=2_r0")) },
                                            failed: [:])
        #expect(lines[0].contains("final loss") && lines[0].contains("held-out loss"))
        #expect(lines.last!.contains("0.2  ") && lines.last!.contains("0.25  "), "\(lines)")
    }

    @Test func aTwoKeyGridIsLaidOutWithoutBeingAsked() throws {
        let grid = try SweepPlan(base: .synthesized(.map([.init("name", .string("g"))]), keyPath: ""),
                                 sweep: .synthesized(.map([.init("grid", .map([.init("a", .list([.int(1), .int(2)])),
                                                                              .init("b", .list([.int(3)]))]))]), keyPath: "sweep"),
                                 file: "g.yaml")
        #expect(grid.layout == ReportLayout(rows: "a", columns: "b"))
        let error = #expect(throws: ConfigError.self) {
            try SweepPlan(base: .synthesized(.map([.init("name", .string("g"))]), keyPath: ""),
                          sweep: .synthesized(.map([.init("grid", .map([.init("a", .list([.int(1)]))]))]), keyPath: "sweep"),
                          report: .synthesized(.map([.init("rows", .string("a")), .init("columns", .string("model.mlp.width"))]), keyPath: "report"),
                          file: "g.yaml")
        }
        #expect(error?.description.contains("must name one of the sweep's grid keys") == true)
    }
}
