import Foundation
import Testing
import TestSupport
import LabCore
import LabIO
import LabModules
@testable import LabRunner

/// The memorisation study's protocol, pinned on every network of the shipped
/// sweeps (Configs/thesis/random.yaml and cifar10.yaml) and on short.yaml, by
/// resolving each point and reading the composed modules, not the YAML text.
@Suite struct ThesisConfigTests {
    static let thesisFolder = ShippedConfigTests.configsFolder + "/thesis"
    static let cifar = URL(fileURLWithPath: ShippedConfigTests.configsFolder).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/data/cifar10-20").path

    func plan(_ file: String) throws -> SweepPlan {
        // The shared CIFAR-10 images are test images: enough to compose the training config.
        let overrides = file == "cifar10.yaml"
            ? try ["data.directory=\(Self.cifar)", "data.split=test"].map(CommandLineOverride.parse) : []
        return try SweepPlan(configFile: "\(Self.thesisFolder)/\(file)", overrides: overrides)
    }

    func experiment(_ point: SweepPoint, _ plan: SweepPlan) throws -> Experiment {
        try ExperimentBuilder(registry: BuiltinModules.registry).experiment(point: point, of: plan)
    }

    @Test(arguments: ["random.yaml", "cifar10.yaml"])
    func theGridIsTheStudys(file: String) throws {
        let plan = try plan(file)
        #expect(plan.gridKeys == ["model.mlp.width", "model.mlp.depth"])
        #expect(plan.variants == ["bias", "no-bias"])
        #expect(plan.repeats == 4)
        #expect(plan.points.count == 120)
        #expect(plan.layout == ReportLayout(rows: "model.mlp.depth", columns: "model.mlp.width"))
        let shapes = Set(plan.points.map { $0.coordinates.map(\.value).joined(separator: "x") })
        #expect(shapes == Set(["32", "64", "128"].flatMap { w in ["1", "2", "3", "6", "11"].map { "\(w)x\($0)" } }))
    }

    @Test(arguments: ["random.yaml", "cifar10.yaml"])
    func everyNetworkFollowsTheProtocol(file: String) throws {
        let plan = try plan(file)
        // Every point's settings as written...
        for point in plan.points {
            let mlp = try #require(point.config["model"]?["mlp"])
            #expect(mlp["output_activation"].flatMap(SweepPlan.scalar) == "relu", "\(point.label)")
            #expect(mlp["bias"].flatMap(SweepPlan.scalar) == (point.variant == "bias" ? "true" : "false"), "\(point.label)")
            #expect(mlp["width"].flatMap(SweepPlan.scalar) == point.coordinates[0].value)
            #expect(mlp["depth"].flatMap(SweepPlan.scalar) == point.coordinates[1].value)
        }
        // ...and composed, on the corners of the grid in both variants (composing draws every weight).
        let corners = plan.points.filter { point in
            point.repeatIndex == 0 && ["32", "128"].contains(point.coordinates[0].value) && ["1", "11"].contains(point.coordinates[1].value)
        }
        #expect(corners.count == 8)
        for point in corners {
            let width = Int(point.coordinates[0].value)!, depth = Int(point.coordinates[1].value)!
            try expectStudyProtocol(try experiment(point, plan), width: width, depth: depth, bias: point.variant == "bias",
                                    epochs: 50_000, samples: file == "random.yaml" ? 100 : nil, label: point.label)
        }
    }

    /// The short config is the study's deepest network on its first 40 images, for fewer epochs.
    @Test func theShortConfigIsTheProtocolOnFewerImagesAndEpochs() throws {
        let file = "\(Self.thesisFolder)/short.yaml"
        let short = try ExperimentBuilder(registry: BuiltinModules.registry).experiment(configFile: file)
        try expectStudyProtocol(short, width: 128, depth: 11, bias: true, epochs: 8000, samples: 40, label: "short.yaml")
        let plan = try plan("random.yaml")
        let study = try experiment(plan.points[0], plan).dataset.allSamples()
        #expect(Array(short.dataset.allSamples().scalars) == Array(study.scalars[0..<(40 * 3072)]))
    }

    /// The protocol's network, initialisation, training and analyses, read from a composed experiment.
    func expectStudyProtocol(_ experiment: Experiment, width: Int, depth: Int, bias: Bool, epochs: Int, samples: Int?, label: String) throws {
        let layers = experiment.network.layers
        // 3072 -> w x depth -> 3072, a ReLU after every Dense, the output's included.
        #expect(layers.count == 2 * (depth + 1), "\(label)")
        for (index, layer) in layers.enumerated() {
            if index % 2 == 0 {
                let dense = try #require(layer as? Dense, "\(label): layer \(index)")
                #expect(dense.units == (index == layers.count - 2 ? 3072 : width))
                #expect((dense.bias != nil) == bias, "\(label): biases on every layer or on none")
            } else {
                let relu = try #require((layer as? ActivationLayer)?.activation as? ReLU, "\(label): layer \(index)")
                #expect(relu.derivativeAtZero == 0, "training uses TensorFlow's ReLU'(0) = 0")
            }
        }
        let mlp = experiment.resolvedConfig.value(at: "model")!.value(at: "mlp")!
        #expect(mlp.value(at: "kernel_initializer") == .map([.init("type", .string("glorot_normal")), .init("form", .string("tfjs"))]))
        #expect(mlp.value(at: "bias_initializer") == .map([.init("type", .string("zeros"))]))
        #expect(experiment.loss is MeanSquaredError)
        let rmsprop = try #require(experiment.optimizer as? RMSprop)
        #expect(rmsprop.variant == .keras && rmsprop.rho == 0.9 && rmsprop.epsilon == 1e-7 && rmsprop.learningRate == 1e-3)
        let training = experiment.training
        #expect(training.epochs == epochs && training.batchSize == 32 && training.shuffle, "\(label)")
        #expect(experiment.dataset.sampleShape == [3072])
        // The shared CIFAR-10 test images hold fewer than the study's 100 (cifar10ReadsTenPerClassPlanarScaledByDivision reads them).
        if let samples {
            #expect(experiment.dataset.count == samples)
            #expect(training.batchesPerEpoch(sampleCount: samples) == (samples + 31) / 32)
        }
        let analysis = try #require(experiment.analyses.first as? AttractorsAnalysis)
        #expect(analysis.iteration.tolerance == 5e-5 && analysis.iteration.budget == 1000 && analysis.iteration.extendedBudget == 32000)
        #expect(analysis.evaluation == .trainingPoint && analysis.spectrum.derivativeAtKink == 0.5)
    }

    @Test func theRandomImagesAreTheSameHundredForEveryNetwork() throws {
        let plan = try plan("random.yaml")
        let first = try experiment(plan.points[0], plan)
        #expect(first.dataset.count == 100 && first.dataset.sampleShape == [3072])
        let samples = first.dataset.allSamples()
        #expect(samples.scalars.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = samples.scalars.reduce(0, +) / Float(samples.count)
        #expect(abs(mean - 0.5) < 0.01)
        for point in [plan.points[3], plan.points[61], plan.points[119]] {
            #expect(try experiment(point, plan).dataset.allSamples() == samples, "\(point.label)")
        }
        // Repeats of a cell differ in their seed, hence their initial weights.
        let repeats = plan.points.filter { $0.variant == "bias" && $0.coordinates.map(\.value) == ["128", "11"] }
        #expect(Set(repeats.map(\.seed)).count == 4)
    }

    /// TensorFlow.js's Glorot normal: truncated at 2 std, std sqrt(2 / (fan_in + fan_out)), without Keras's 1/0.8796.
    @Test func initialKernelsAreTensorFlowJSGlorot() throws {
        let plan = try plan("random.yaml")
        let point = try #require(plan.points.first { $0.coordinates.map(\.value) == ["128", "1"] })
        let kernel = try #require(try experiment(point, plan).network.layers[0] as? Dense).kernel.value.scalars.map(Double.init)
        let std = (2.0 / (3072 + 128)).squareRoot()
        #expect(kernel.allSatisfy { abs($0) <= 2 * std })
        let sampleStd = (kernel.reduce(0) { $0 + $1 * $1 } / Double(kernel.count)).squareRoot()
        #expect(abs(sampleStd / (0.87962566103423978 * std) - 1) < 0.01, "std \(sampleStd) vs \(0.8796 * std)")
    }

    /// 100 CIFAR-10 training images, the first 10 of each class, in the files' planar layout as k / 255.
    @Test func cifar10ReadsTenPerClassPlanarScaledByDivision() throws {
        let plan = try plan("cifar10.yaml")
        let data = try #require(try experiment(plan.points[0], plan).dataset as? ImageDataset)
        let resolved = try #require(plan.points[0].config["data"])
        #expect(resolved["per_class"].flatMap(SweepPlan.scalar) == "10")
        #expect(resolved["layout"].flatMap(SweepPlan.scalar) == "planar")
        #expect(resolved["split"].flatMap(SweepPlan.scalar) == "test")  // the override; the shipped file says train
        #expect(try String(contentsOfFile: "\(Self.thesisFolder)/cifar10.yaml", encoding: .utf8).contains("split: train, per_class: 10, layout: planar"))
        #expect(data.sampleShape == [3072])
        let raw = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(Self.cifar)/test_batch.bin")))
        #expect(Array(data.samples.scalars[0..<3072]) == raw[1..<3073].map { Float($0) / 255 })
    }

    /// The analyses run on the final weights (last.h5), not the best ones.
    @Test func theAnalysesUseTheFinalWeights() throws {
        let folder = TemporaryDirectory()
        let plan = try plan("random.yaml")
        let pipeline = ExperimentPipeline(registry: BuiltinModules.registry)
        let overrides = try ["training.epochs=3", "training.checkpoint_every=1", "data.count=4", "analyses=[{type: attractors, budget: 5, extended_budget: 5}]"]
            .map(CommandLineOverride.parse)
        var config = plan.points[0].config
        for override in overrides { try override.apply(to: &config) }
        let experiment = try Experiment(config: config, registry: BuiltinModules.registry, baseDirectory: Self.thesisFolder, source: plan.configFile)
        let run = RunDirectory(path: folder.file("run"))
        _ = try pipeline.complete(experiment, in: run, progress: ProgressReporter(totalEpochs: 3, isTerminal: false, write: { _ in }))
        let results = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run.file("results.json")))) as! [String: Any]
        #expect(results["checkpoint"] as? String == "last.h5")
        #expect(results["epoch"] as? Int == 3)
    }
}
