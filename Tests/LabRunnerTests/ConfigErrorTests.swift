import Foundation
import Testing
import TestSupport
import LabCore
import LabModules
@testable import LabRunner

@Suite struct ConfigErrorTests {
    static let valid = """
        name: tiny
        seed: 3
        data: {type: random, count: 4, shape: [6]}
        model:
          mlp:
            width: 3
            depth: 2
        training:
          optimizer: {type: rmsprop, learning_rate: 0.01}
          epochs: 5
          batch_size: 4
        """

    func compose(_ yaml: String) throws -> Experiment {
        try Experiment(config: try YAMLConfigLoader.parse(yaml, file: "exp.yaml"), registry: BuiltinModules.registry,
                       baseDirectory: ".", source: "exp.yaml")
    }

    func error(_ yaml: String) -> String {
        do {
            _ = try compose(yaml)
            return "no error"
        } catch {
            return String(describing: error)
        }
    }

    @Test func validConfigComposes() throws {
        let experiment = try compose(Self.valid)
        #expect(experiment.network.layerNames == ["dense_1", "relu_1", "dense_2", "relu_2", "dense_3"])
        #expect(experiment.network.layers.map(\.outputShape) == [[3], [3], [3], [3], [6]])
        #expect(experiment.training.epochs == 5 && experiment.training.checkpointEvery == 1)
    }

    @Test func unknownKeySaysLineKeyPathAndAllowed() {
        let yaml = Self.valid.replacingOccurrences(of: "  batch_size: 4", with: "  batch_size: 4\n  learning_rate: 0.1")
        #expect(error(yaml) == "exp.yaml:12:18: error: training.learning_rate: unknown key 'learning_rate' (allowed: loss, optimizer, schedule, epochs, batch_size, shuffle, checkpoint_every, full_loss_every, flush_denormals, stop, initial_weights, corruption, regularizers)")
        let top = Self.valid.replacingOccurrences(of: "seed: 3", with: "sed: 3")
        #expect(error(top).hasPrefix("exp.yaml:2:6: error: sed: unknown key 'sed' (did you mean 'seed'?)"))
    }

    /// A layer an analysis names is checked when the experiment is composed, not after training.
    @Test func anAnalysisOfAnUnknownLayerSaysWhereAndWhichLayersThereAre() {
        let message = error(Self.valid + "\nanalyses: [{type: latent_codes, layer: dense_4}]\n")
        #expect(message.contains("exp.yaml:12:") && message.contains("analyses[0].layer: no layer named 'dense_4' (did you mean 'dense_1'?)"), "\(message)")
        #expect(message.contains("allowed: dense_1, relu_1, dense_2, relu_2, dense_3"), "\(message)")
        #expect(error(Self.valid + "\nanalyses: [{type: latent_codes, layer: dense_2}]\n") == "no error")
    }

    @Test func wrongTypeSaysWhatIsAllowed() {
        let yaml = Self.valid.replacingOccurrences(of: "epochs: 5", with: "epochs: many")
        #expect(error(yaml) == "exp.yaml:10:11: error: training.epochs: expected an integer, got 'many' (allowed: an integer >= 1)")
    }

    @Test func unknownModuleNameListsTheKnownOnes() {
        let yaml = Self.valid.replacingOccurrences(of: "type: rmsprop", with: "type: rmsporp")
        #expect(error(yaml) == "exp.yaml:9:14: error: training.optimizer: unknown optimizer 'rmsporp' (did you mean 'rmsprop'?) (allowed: adam, rmsprop, sgd)")
        let activation = Self.valid.replacingOccurrences(of: "depth: 2", with: "depth: 2\n    activation: reul")
        #expect(error(activation).hasPrefix("exp.yaml:8:17: error: model.mlp.activation: unknown layer 'reul' (did you mean 'relu'?)"))
    }

    @Test func negativeWidthIsOutOfRange() {
        let yaml = Self.valid.replacingOccurrences(of: "width: 3", with: "width: -3")
        #expect(error(yaml) == "exp.yaml:6:12: error: model.mlp.width: -3 is out of range (allowed: an integer >= 1)")
    }

    @Test func structuralMistakes() {
        #expect(error(Self.valid.replacingOccurrences(of: "    depth: 2", with: "    depth: 2\n  layers: [relu]"))
            .contains("model: give either 'layers' or 'mlp', not both"))
        #expect(error("name: x\n") == "exp.yaml:1:1: error: data: missing required key 'data' (allowed: a dataset)\n"
                + "exp.yaml:1:1: error: training: missing required key 'training' (allowed: a mapping with epochs, optimizer, ...)")
        let noOptimizer = Self.valid.replacingOccurrences(of: "  optimizer: {type: rmsprop, learning_rate: 0.01}\n", with: "")
        #expect(error(noOptimizer).hasSuffix("training.optimizer: missing required key 'optimizer' (allowed: optimizer names: adam, rmsprop, sgd)"))
        #expect(error("name: [\n").hasPrefix("exp.yaml:2:1: error: invalid YAML: "))
        let layers = Self.valid.replacingOccurrences(of: "  mlp:\n    width: 3\n    depth: 2", with: "  layers: [{type: dense, units: 3}, relu]")
        #expect(error(layers).contains("an autoencoder must return its input's shape"))
    }

    @Test func resolvedConfigRecordsDefaultsAndRoundTrips() throws {
        let experiment = try compose(Self.valid)
        let yaml = try experiment.resolvedYAML
        for expected in ["shuffle: true", "kernel_initializer:", "type: glorot_normal", "form: keras", "rho: 0.9",
                         "epsilon: 1e-07", "variant: keras", "output_activation: none", "derivative_at_zero: 0.0"] {
            #expect(yaml.contains(expected), "resolved config lacks \(expected):\n\(yaml)")
        }
        let again = try compose(yaml)
        #expect(try again.resolvedYAML == yaml)
        #expect(again.network.parameters.map(\.value) == experiment.network.parameters.map(\.value))
    }

    @Test func nothingIsWrittenForABadConfig() throws {
        let folder = TemporaryDirectory()
        let config = folder.file("bad.yaml")
        try Self.valid.replacingOccurrences(of: "width: 3", with: "width: -3").write(toFile: config, atomically: true, encoding: .utf8)
        let runs = folder.file("runs")
        #expect(throws: ConfigError.self) {
            try ExperimentPipeline(registry: BuiltinModules.registry, runsDirectory: runs).prepare(config)
        }
        #expect(!FileManager.default.fileExists(atPath: runs))
    }

    /// Nine levels of nine aliases would expand to 9⁹ values: refused at the
    /// alias that crosses the bound, long before memory runs out.
    @Test func nestedAliasesAreBounded() {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
        for level in 1...8 { lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]") }
        let yaml = Self.valid + "\n" + lines.joined(separator: "\n") + "\n"
        let message = error(yaml)
        #expect(message.contains("error: a") && message.contains("more than 100000 values once its aliases are expanded"), "\(message)")
        // A few aliases, as people use them, still read.
        let modest = Self.valid.replacingOccurrences(of: "data: {type: random, count: 4, shape: [6]}", with: "data: &d {type: random, count: 4, shape: [6]}")
            + "\nsweep_note: *d\n"
        #expect(error(modest).contains("unknown key 'sweep_note'"), "aliases within the bound are read as usual")
    }

    /// A required key spelt wrong is reported as the typo, where its value starts.
    @Test func aMisspeltRequiredKeyIsNamedAtItsLine() {
        let yaml = Self.valid.replacingOccurrences(of: "model:", with: "modell:")
        #expect(error(yaml) == "exp.yaml:5:3: error: modell: unknown key 'modell' (did you mean 'model'?) (allowed: name, seed, data, model, training, evaluation, analyses)")
        let nested = Self.valid.replacingOccurrences(of: "  optimizer:", with: "  optimiser:")
        #expect(error(nested).contains("training.optimiser: unknown key 'optimiser' (did you mean 'optimizer'?)"), "\(error(nested))")
    }

    @Test func anEmptyDatasetAndAnOverlongNameSayWhatIsWrong() {
        let everyClassExcluded = "{type: mnist, directory: \(ShippedConfigTests.mnistSubset), exclude: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]}"
        let empty = Self.valid.replacingOccurrences(of: "{type: random, count: 4, shape: [6]}", with: everyClassExcluded)
        #expect(error(empty).hasPrefix("exp.yaml:3:7: error: data: the dataset holds no samples"), "\(error(empty))")
        let long = Self.valid.replacingOccurrences(of: "name: tiny", with: "name: " + String(repeating: "a", count: 5000))
        let named = error(long)
        #expect(named.contains("'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa… (5000 characters)' cannot name a run directory") && named.count < 300, "\(named)")
    }
}

/// `name:` and `trainable:` on entries of `model.layers`.
@Suite struct LayerOptionTests {
    func compose(_ layers: String) throws -> Experiment {
        let yaml = """
            name: tiny
            data: {type: random, count: 4, shape: [6]}
            model:
              layers:
            \(layers)
            training: {optimizer: sgd, epochs: 1}
            """
        return try Experiment(config: try YAMLConfigLoader.parse(yaml, file: "exp.yaml"), registry: BuiltinModules.registry,
                              baseDirectory: ".", source: "exp.yaml")
    }

    func error(_ layers: String) -> String {
        do { _ = try compose(layers); return "no error" } catch { return String(describing: error) }
    }

    @Test func namedLayersKeepTheOthersAutomaticNames() throws {
        let experiment = try compose("    - {type: dense, units: 3, name: code}\n    - relu\n    - {type: dense, units: 6}")
        #expect(experiment.network.layerNames == ["code", "relu_1", "dense_2"])
        #expect(experiment.network.trainable == [true, true, true])
        #expect(!(try experiment.resolvedYAML.contains("trainable")))
    }

    @Test func aNameTakenTwiceIsAnError() {
        #expect(error("    - {type: dense, units: 3}\n    - {type: dense, units: 6, name: dense_1}")
            == "exp.yaml:6:37: error: model.layers[1].name: layer name 'dense_1' is already layer 1's (allowed: a name no other layer has (unnamed layers are <type>_<n>))")
    }

    @Test func aNameThatCannotBeAGroupIsAnError() {
        #expect(error("    - {type: dense, units: 6, name: a/b}")
            == "exp.yaml:5:37: error: model.layers[0].name: 'a/b' cannot name a layer (allowed: letters, digits, '_', '-', '.', not starting with '.')")
    }

    @Test func freezingALayerWithoutParametersIsAnError() {
        #expect(error("    - {type: dense, units: 6}\n    - {type: relu, trainable: false}")
            == "exp.yaml:6:31: error: model.layers[1].trainable: trainable: false on 'relu_1', which has no parameters to freeze (allowed: trainable on a layer with parameters (dense, conv2d, conv_transpose2d, prelu, ...))")
    }

    @Test func theMLPFormTakesNoLayerOptions() {
        let yaml = "name: tiny\ndata: {type: random, count: 4, shape: [6]}\nmodel:\n  mlp: {width: 3, depth: 2, activation: {type: relu, name: code}}\ntraining: {optimizer: sgd, epochs: 1}"
        let error = #expect(throws: ConfigError.self) {
            try Experiment(config: try YAMLConfigLoader.parse(yaml, file: "exp.yaml"), registry: BuiltinModules.registry, baseDirectory: ".", source: "exp.yaml")
        }
        #expect(error?.description.contains("model.mlp.activation.name: unknown key 'name'") == true, "\(String(describing: error))")
    }

    @Test func aFrozenLayerLeavesTheOptimizerOutOfIt() throws {
        let experiment = try compose("    - {type: dense, units: 3, trainable: false}\n    - {type: dense, units: 6}")
        #expect(experiment.network.trainable == [false, true])
        #expect(experiment.network.trainableParameterPaths == ["dense_2/kernel", "dense_2/bias"])
    }
}
