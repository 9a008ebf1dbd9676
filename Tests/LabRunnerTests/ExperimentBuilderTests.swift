import Foundation
import LabCore
import LabModules
import Testing
import TestSupport

@testable import LabRunner

/// Experiments composed one way from files, sweep points and other analyses;
/// the resolved config always says what the experiment is.
@Suite struct ExperimentBuilderTests {
    static let config = """
        name: small
        seed: 4
        data: {type: random, count: 6, shape: [5]}
        model: {mlp: {width: 3, depth: 1}}
        training: {optimizer: sgd, epochs: 2, batch_size: 3}
        analyses: [fixed_points]
        """

    let builder = ExperimentBuilder(registry: BuiltinModules.registry)

    @Test func otherAnalysesMakeANewExperimentThatSaysSo() throws {
        let folder = TemporaryDirectory()
        try Self.config.write(toFile: folder.file("small.yaml"), atomically: true, encoding: .utf8)
        try "analyses: [attractors, {type: iterates, images: 2}]\n".write(toFile: folder.file("more.yaml"), atomically: true, encoding: .utf8)
        let original = try builder.experiment(configFile: folder.file("small.yaml"))
        let other = try builder.experiment(original, analysesOf: folder.file("more.yaml"))
        #expect(original.analyses.map(\.typeName) == ["fixed_points"])
        #expect(original.resolvedConfig.value(at: "analyses").map { if case .list(let items) = $0 { items.count } else { 0 } } == 1)
        #expect(other.analyses.map(\.typeName) == ["attractors", "iterates"])
        guard case .list(let listed)? = other.resolvedConfig.value(at: "analyses") else { Issue.record("no analyses list"); return }
        #expect(listed.compactMap { $0.value(at: "type")?.stringValue } == ["attractors", "iterates"])
        #expect(listed[1].value(at: "images") == .int(2))
        // Everything but the analyses is the same experiment.
        let strip = { (value: ConfigValue) -> ConfigValue in
            guard case .map(let entries) = value else { return value }
            return .map(entries.filter { $0.key != "analyses" })
        }
        #expect(strip(other.resolvedConfig) == strip(original.resolvedConfig))
        #expect(other.dataset.allSamples() == original.dataset.allSamples())
    }

    @Test func aFileWithoutAnalysesSaysSo() throws {
        let folder = TemporaryDirectory()
        try Self.config.write(toFile: folder.file("small.yaml"), atomically: true, encoding: .utf8)
        try "name: x\n".write(toFile: folder.file("none.yaml"), atomically: true, encoding: .utf8)
        let original = try builder.experiment(configFile: folder.file("small.yaml"))
        let error = #expect(throws: RunError.self) { try builder.experiment(original, analysesOf: folder.file("none.yaml")) }
        #expect(String(describing: error!) == "\(folder.file("none.yaml")): has no 'analyses' list")
    }

    /// A sweep point and the same experiment written as one file find their data relative to the file.
    @Test func aSweepPointResolvesPathsAgainstItsFile() throws {
        let folder = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: folder.file("studies"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.file("mnist"), withDestinationPath: ShippedConfigTests.mnistSubset)
        let config = Self.config.replacingOccurrences(of: "{type: random, count: 6, shape: [5]}", with: "{type: mnist, directory: ../mnist, first: 6}")
            .replacingOccurrences(of: "width: 3", with: "width: 4")
        try (config + "\nsweep: {grid: {model.mlp.width: [4, 5]}}\n").write(toFile: folder.file("studies/grid.yaml"), atomically: true, encoding: .utf8)
        try config.write(toFile: folder.file("studies/one.yaml"), atomically: true, encoding: .utf8)
        let plan = try SweepPlan(configFile: folder.file("studies/grid.yaml"))
        let point = try builder.experiment(point: plan.points[0], of: plan)
        let single = try builder.experiment(configFile: folder.file("studies/one.yaml"))
        #expect(point.resolvedConfig.value(at: "data") == single.resolvedConfig.value(at: "data"))
        #expect(point.dataset.allSamples() == single.dataset.allSamples() && point.dataset.count == 6)
        #expect(point.source == folder.file("studies/grid.yaml"))
    }
}
