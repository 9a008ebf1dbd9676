import Foundation
import Testing
import LabCore
import LabModules
@testable import LabRunner

/// A config with several mistakes gets all of them in one message, one line
/// each: every unknown key in the file first, then the first wrong value of
/// each block that could be composed; a key written twice is named at its
/// second line.
@Suite struct ConfigErrorListTests {
    func error(_ yaml: String) -> String {
        do {
            _ = try Experiment(config: try YAMLConfigLoader.parse(yaml, file: "exp.yaml"), registry: BuiltinModules.registry,
                               baseDirectory: ".", source: "exp.yaml")
            return "no error"
        } catch {
            return String(describing: error)
        }
    }

    @Test func aDuplicateKeyIsNamedAtItsSecondLineWithoutTheFile() {
        let yaml = """
            name: dup
            data: {type: random, count: 4, shape: [6]}
            model:
              mlp:
                width: 3
                depth: 2
                width: 5
            training:
              optimizer: {type: rmsprop, learning_rate: 0.01}
              epochs: 5
            """
        #expect(error(yaml) == "exp.yaml:7:5: error: key 'width' appears twice in one mapping (first at line 5): width: 5 (allowed: each key once per mapping)")
        let flow = "name: dup\ndata: {type: random, count: 4, count: 5}\n"
        #expect(error(flow) == "exp.yaml:2:32: error: key 'count' appears twice in one mapping (first at column 22): data: {type: random, count: 4, count: 5} (allowed: each key once per mapping)")
        let listItem = "name: dup\nmodel:\n  layers:\n    - type: dense\n      units: 3\n\n      # again\n      units: 4\n"
        #expect(error(listItem).hasPrefix("exp.yaml:8:7: error: key 'units' appears twice in one mapping (first at line 5): units: 4"))
    }

    @Test func everyUnknownKeyThenTheFirstWrongValueOfEachBlock() {
        let yaml = """
            name: multi
            sed: 3
            data: {type: random, count: -4, shape: [6], colour: red}
            model:
              mlp:
                width: 3
                depht: 2
            training:
              optimizer: {type: rmsprop, learning_rate: -0.01, rho2: 3}
              loss: msee
              epochs: 0
              batchsize: 4
            analyses:
              - {type: attractors}
              - {type: jacobian_spectrum, rout: full}
            """
        let lines = error(yaml).split(separator: "\n").map(String.init)
        #expect(lines == [
            "exp.yaml:2:6: error: sed: unknown key 'sed' (did you mean 'seed'?) (allowed: name, seed, data, model, training, evaluation, analyses)",
            "exp.yaml:3:53: error: data.colour: unknown key 'colour' (allowed: count, shape, distribution, seed, low, high, mean, std, radius)",
            "exp.yaml:7:12: error: model.mlp.depht: unknown key 'depht' (did you mean 'depth'?) (allowed: input, width, depth, bias, activation, output_activation, kernel_initializer, bias_initializer, parameterization, weight_scale, bias_scale)",
            "exp.yaml:9:58: error: training.optimizer.rho2: unknown key 'rho2' (did you mean 'rho'?) (allowed: variant, learning_rate, rho, epsilon)",
            "exp.yaml:12:14: error: training.batchsize: unknown key 'batchsize' (did you mean 'batch_size'?) (allowed: loss, optimizer, schedule, epochs, batch_size, shuffle, checkpoint_every, full_loss_every, flush_denormals, stop, initial_weights, corruption, regularizers)",
            "exp.yaml:15:37: error: analyses[1].rout: unknown key 'rout' (did you mean 'route'?) (allowed: route, derivative_at_kink, top_k, leading_vector, operator_norm, moduli, band, compare_initial)",
            "exp.yaml:3:29: error: data.count: -4 is out of range (allowed: an integer >= 1)",
            "exp.yaml:10:9: error: training.loss: unknown loss 'msee' (did you mean 'mse'?) (allowed: bce, mse)",
            "exp.yaml:9:45: error: training.optimizer.learning_rate: -0.01 is out of range (allowed: a number > 0)",
            "exp.yaml:11:11: error: training.epochs: 0 is out of range (allowed: an integer >= 1)",
        ], "\(lines)")
    }

    /// A layer that cannot be built leaves the later ones without an input
    /// shape; their unknown keys are still found, and the analyses still built.
    @Test func layersAfterABrokenOneAreCheckedForUnknownKeys() {
        let yaml = """
            name: layers
            data: {type: random, count: 4, shape: [6]}
            model:
              layers:
                - {type: dense, units: 0}
                - {type: relu, slope: 2}
                - {type: dense, units: 6, bais: false, name: out, trainable: false}
            training:
              optimizer: {type: sgd, learning_rate: 0.1}
              epochs: 1
            analyses:
              - {type: fixed_points, budget: -1}
            """
        let lines = error(yaml).split(separator: "\n").map(String.init)
        #expect(lines == [
            "exp.yaml:6:27: error: model.layers[1].slope: unknown key 'slope' (allowed: derivative_at_zero)",
            "exp.yaml:7:37: error: model.layers[2].bais: unknown key 'bais' (did you mean 'bias'?) (allowed: units, bias, kernel_initializer, bias_initializer, parameterization, weight_scale, bias_scale)",
            "exp.yaml:5:28: error: model.layers[0].units: 0 is out of range (allowed: an integer >= 1)",
            "exp.yaml:12:34: error: analyses[0].budget: -1 is out of range (allowed: an integer >= 1)",
        ], "\(lines)")
    }

    @Test func oneMistakeIsThrownAsItself() {
        let yaml = "name: one\ndata: {type: random, count: 4, shape: [6]}\nmodel: {mlp: {width: 3, depth: 1}}\ntraining: {optimizer: sgd, epochs: 0}\n"
        #expect(throws: ConfigError.self) {
            _ = try Experiment(config: try YAMLConfigLoader.parse(yaml, file: "exp.yaml"), registry: BuiltinModules.registry,
                               baseDirectory: ".", source: "exp.yaml")
        }
    }
}
