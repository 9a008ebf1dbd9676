import Foundation
import Testing

@testable import LabRunner

/// Every experiment shipped under Configs/ for the built-in modules composes: its keys, modules and
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
        #expect(Self.configFiles.filter { $0.hasPrefix("plugins/") }.count == 2)
    }

    /// Configs of plugin modules compose through aelab, which registers the
    /// plugins: aelabTests' PluginTests run them.
    @Test(arguments: configFiles.filter { !$0.hasPrefix("plugins/") })
    func composes(file: String) throws {
        let experiment = try Experiment.load(configFile: "\(Self.configsFolder)/\(file)", registry: StandardModules.registry)
        #expect(experiment.network.outputShape == experiment.network.inputShape)
    }
}
