import Foundation
import Testing
import LabModules
@testable import LabRunner

/// Every experiment shipped under Configs/ composes: its keys, modules and
/// shapes are valid (nothing is trained).
@Suite struct ShippedConfigTests {
    static let configsFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Configs").path

    static var configFiles: [String] {
        let enumerator = FileManager.default.enumerator(atPath: configsFolder)
        return (enumerator?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test func configsAreShipped() {
        #expect(Self.configFiles.contains("quickstart.yaml"))
        #expect(Self.configFiles.filter { $0.hasPrefix("thesis/") }.count >= 31)
    }

    @Test(arguments: configFiles)
    func composes(file: String) throws {
        let experiment = try Experiment.load(configFile: "\(Self.configsFolder)/\(file)", registry: BuiltinModules.registry)
        #expect(experiment.network.outputShape == experiment.network.inputShape)
    }
}
