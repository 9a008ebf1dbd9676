import Foundation
import Testing
import TestSupport

/// The example plugins, used the way a researcher uses them: through configs
/// and the `aelab` command.
@Suite struct PluginTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test(arguments: ["silu", "recall"])
    func pluginConfigsRunThroughAelab(name: String) throws {
        let folder = TemporaryDirectory()
        let result = try AelabProcess.run(["run", "\(Self.packageRoot)/Configs/plugins/\(name).yaml", "--runs-dir", folder.path],
                                          in: folder.path)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains(name == "silu" ? "attractors (" : "recall ("), "\(result.output)")
        #expect(FileManager.default.fileExists(atPath: folder.file("plugin-\(name)/results.json")))
    }

    @Test func listShowsBuiltinsAndPluginsAlike() throws {
        let activations = try AelabProcess.run(["list", "activation"], in: Self.packageRoot)
        #expect(activations.status == 0)
        for name in ["relu:", "sigmoid:", "tanh:", "silu:", "beta"] { #expect(activations.output.contains(name), "\(name)") }
        let everything = try AelabProcess.run(["list"], in: Self.packageRoot).output
        for name in ["dense:", "rmsprop:", "attractors:", "recall:", "random:", "gaussian_noise:"] {
            #expect(everything.contains(name), "\(name)")
        }
    }

    @Test func anUnregisteredModuleFailsWithTheKnownNames() throws {
        let folder = TemporaryDirectory()
        try """
            name: x
            data: {type: random, count: 2, shape: [4]}
            model: {mlp: {width: 2, depth: 1, activation: swishy}}
            training: {optimizer: sgd, epochs: 1}
            """.write(toFile: folder.file("exp.yaml"), atomically: true, encoding: .utf8)
        let result = try AelabProcess.run(["run", "exp.yaml"], in: folder.path)
        #expect(result.status != 0)
        #expect(result.errors.contains("model.mlp.activation: unknown layer 'swishy'"), "\(result.errors)")
        let allowed = result.errors.components(separatedBy: "(allowed: ").last ?? ""
        for name in ["dense", "relu", "tanh", "silu"] {
            #expect(allowed.contains("\(name),") || allowed.contains("\(name))"), "\(name) missing from \(allowed)")
        }
    }

    /// The core knows no plugin: only aelab's catalog and Package.swift name them.
    @Test func noCoreFileNamesAPlugin() throws {
        for folder in ["Sources/LabCore", "Sources/LabModules"] {
            let files = FileManager.default.enumerator(atPath: "\(Self.packageRoot)/\(folder)")?.allObjects as? [String] ?? []
            #expect(!files.isEmpty)
            for file in files where file.hasSuffix(".swift") {
                let text = try String(contentsOfFile: "\(Self.packageRoot)/\(folder)/\(file)", encoding: .utf8)
                for name in ["SiLU", "\"silu\"", "RecallAnalysis", "RecallFromNoise", "\"recall\""] {
                    #expect(!text.contains(name), "\(folder)/\(file) names \(name)")
                }
            }
        }
    }
}
