import Foundation
import LabCore
import Testing
import TestSupport

@testable import LabRunner

/// results.json and results.h5 written and read back through their one type.
@Suite struct ResultsFileTests {
    @Test func resultsRoundTripWithSummariesDeclarationsAndArrays() throws {
        let folder = TemporaryDirectory()
        let run = RunDirectory(path: folder.file("run"))
        try run.create(resolvedConfigYAML: "name: x\n")
        let summary: [ConfigValue.Entry] = [
            .init("count", .int(3)), .init("radius", .double(0.25)), .init("route", .string("full")), .init("settled", .bool(true)),
            .init("per_point", .list([.map([.init("distance", .double(1.5)), .init("index", .int(0))])])),
        ]
        let chart = ResultChart(title: "t", kind: .complexPlane, array: "pairs", xLabel: "re", yLabel: "im", yScale: .log, guide: 1)
        let record = AnalysisRecord(name: "probe", seconds: 0.5, summary: summary,
                                    tables: [ResultTable(title: "a", header: ["h"], rows: [["1"]])], charts: [chart])
        let results = RunResults(experiment: "x", checkpoint: "last.h5", epoch: 7, analyses: [record])
        let file = ResultsFile(run: run)
        let pairs = Tensor(shape: [2, 1, 2], scalars: [1, -1, 0.5, 0])
        try file.write(results, arrays: ["probe": [("pairs", pairs)]])

        let read = try #require(try file.read())
        #expect(read.epoch == 7 && read.checkpoint == "last.h5" && read.analyses.count == 1)
        let back = read.analyses[0]
        #expect(back.charts == [chart] && back.tables == record.tables && back.seconds == 0.5)
        // Keys come back sorted (JSON objects have no order; the fixture's nested map is sorted already).
        #expect(back.summary == summary.sorted { $0.key < $1.key })
        #expect(try file.array("pairs", of: "probe") == pairs)
        #expect(try file.array("missing", of: "probe") == nil)
        // The summary stands beside the name, as scripts read it.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file.jsonPath))) as? [String: Any]
        let analysis = (json?["analyses"] as? [[String: Any]])?.first
        #expect(analysis?["name"] as? String == "probe" && analysis?["count"] as? Int == 3)
    }

    @Test func aNumberWithoutAJSONFormIsWrittenAsNullAndReadAsNaN() throws {
        let data = try JSONEncoder().encode(ConfigValue.list([.double(.nan), .double(.infinity), .double(2.5)]))
        #expect(String(decoding: data, as: UTF8.self) == "[null,null,2.5]")
        guard case .list(let items) = try JSONDecoder().decode(ConfigValue.self, from: data) else { Issue.record("not a list"); return }
        #expect(items[0].doubleValue?.isNaN == true && items[2] == .double(2.5))
    }

    @Test func aFileThatIsNotResultsSaysSo() throws {
        let folder = TemporaryDirectory()
        let run = RunDirectory(path: folder.file("run"))
        try run.create(resolvedConfigYAML: "name: x\n")
        try "{\"analyses\": 3}".write(toFile: run.file("results.json"), atomically: true, encoding: .utf8)
        let error = #expect(throws: RunError.self) { try ResultsFile(run: run).read() }
        #expect(String(describing: error!).hasPrefix("\(run.file("results.json")): not an analysis results file"))
    }
}
