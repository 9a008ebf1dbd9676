import Foundation
import LabModules
import Testing
import TestSupport

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
        #expect(Set(Self.configFiles.filter { $0.hasPrefix("thesis/") }) == ["thesis/random.yaml", "thesis/cifar10.yaml", "thesis/short.yaml"])
        #expect(Self.configFiles.filter { $0.hasPrefix("plugins/") }.count == 2)
    }

    /// MNIST has no standard place on Debian: configs reading it get the shared subset.
    static let mnistSubset = URL(fileURLWithPath: configsFolder).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/data/mnist-5k").path

    /// CIFAR-10 cannot be downloaded here: configs reading it get the shared test images.
    static let cifarImages = URL(fileURLWithPath: configsFolder).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/data/cifar10-20").path

    /// Configs of plugin modules compose through aelab, which registers the
    /// plugins: aelabTests' PluginTests run them. A sweep composes the first
    /// point of each variant.
    @Test(arguments: configFiles.filter { !$0.hasPrefix("plugins/") })
    func composes(file: String) throws {
        let path = "\(Self.configsFolder)/\(file)"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var overrides = text.contains("type: mnist") ? [try CommandLineOverride.parse("data.directory=\(Self.mnistSubset)")] : []
        if text.contains("type: cifar10") { overrides += try ["data.directory=\(Self.cifarImages)", "data.split=test"].map(CommandLineOverride.parse) }
        if text.contains("\nsweep:") {
            let plan = try SweepPlan(configFile: path, overrides: overrides)
            for variant in [nil] + plan.variants.map(Optional.some) {
                guard let point = plan.points.first(where: { $0.variant == variant }) else { continue }
                let experiment = try ExperimentBuilder(registry: BuiltinModules.registry).experiment(point: point, of: plan)
                #expect(experiment.network.outputShape == experiment.network.inputShape)
            }
            return
        }
        let experiment = try ExperimentBuilder(registry: BuiltinModules.registry).experiment(configFile: path, overrides: overrides)
        #expect(experiment.network.outputShape == experiment.network.inputShape)
    }
}

/// A dataset folder given relative to the config stays reachable from the run directory.
@Suite struct RelativeDataDirectoryTests {
    @Test func runDirectoryConfigRecordsTheAbsoluteFolder() throws {
        let folder = TemporaryDirectory()
        let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/mnist-5k").path
        try FileManager.default.createSymbolicLink(atPath: folder.file("digits"), withDestinationPath: shared)
        try FileManager.default.createDirectory(atPath: folder.file("configs"), withIntermediateDirectories: true)
        let config = folder.file("configs/exp.yaml")
        try """
            name: rel
            data: {type: mnist, directory: ../digits, first: 10}
            model: {mlp: {width: 4, depth: 1}}
            training: {optimizer: sgd, epochs: 2, batch_size: 10}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let pipeline = ExperimentPipeline(registry: BuiltinModules.registry)
        let (experiment, run) = try pipeline.prepare(config, runDirectory: folder.file("run"))
        _ = try pipeline.train(experiment, in: run, progress: ProgressReporter(totalEpochs: 2, isTerminal: false, write: { _ in }), stopAtEpoch: 1)
        let stored = try String(contentsOfFile: run.configPath, encoding: .utf8)
        let recorded = stored.split(separator: "\n").first { $0.contains("directory: ") }?
            .components(separatedBy: "directory: ").last ?? ""
        #expect(recorded.hasPrefix("/") && recorded.hasSuffix("mnist-5k"), "\(stored)")
        #expect(FileManager.default.fileExists(atPath: recorded + "/train-images-idx3-ubyte.gz"))
        // Resuming from the run directory alone reads the data again.
        let (again, sameRun) = try pipeline.prepare(run.path)
        #expect(try pipeline.train(again, in: sameRun, progress: ProgressReporter(totalEpochs: 2, isTerminal: false, write: { _ in })).finalEpoch == 2)
    }
}

/// The fine-tuning example starts from the clean example's run directory, wherever it is composed from.
@Suite struct FineTuneConfigTests {
    @Test func itNamesTheCleanRunsDirectoryUnderTheRepository() throws {
        let repository = URL(fileURLWithPath: ShippedConfigTests.configsFolder).deletingLastPathComponent().path
        let experiment = try ExperimentBuilder(registry: BuiltinModules.registry).experiment(
            configFile: "\(ShippedConfigTests.configsFolder)/neuromatch/finetune-noisy.yaml",
            overrides: [try CommandLineOverride.parse("data.directory=\(ShippedConfigTests.mnistSubset)")])
        #expect(experiment.initialWeights?.path == "\(repository)/runs/neuromatch-bottleneck-2d")
        #expect(experiment.network.trainable == Array(repeating: true, count: 6) + Array(repeating: false, count: 5) + [true])
    }
}
