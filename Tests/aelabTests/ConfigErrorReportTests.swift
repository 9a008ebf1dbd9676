import Foundation
import Testing
import TestSupport

/// What `aelab check` and `aelab run` print for a config with several
/// mistakes: each on its own `file:line:column` line, exit status 1, nothing written.
@Suite struct ConfigErrorReportTests {
    static let config = """
        name: several
        data: {type: random, count: 4, shape: [6]}
        model:
          mlp: {width: 3, depth: 1, widht: 4}
        training:
          optimizer: {type: sgd, learning_rate: 0}
          epochs: 2
          shufle: false
        """

    @Test(arguments: ["check", "run"]) func everyMistakeIsOneLine(command: String) throws {
        let folder = TemporaryDirectory()
        try Self.config.write(toFile: folder.file("exp.yaml"), atomically: true, encoding: .utf8)
        let result = try AelabProcess.run([command, "exp.yaml"], in: folder.path)
        #expect(result.status == 1)
        #expect(result.errors.split(separator: "\n").map(String.init) == [
            "exp.yaml:4:36: error: model.mlp.widht: unknown key 'widht' (did you mean 'width'?) (allowed: input, width, depth, bias, activation, output_activation, kernel_initializer, bias_initializer, parameterization, weight_scale, bias_scale)",
            "exp.yaml:8:11: error: training.shufle: unknown key 'shufle' (did you mean 'shuffle'?) (allowed: loss, optimizer, schedule, epochs, batch_size, shuffle, checkpoint_every, full_loss_every, flush_denormals, stop, initial_weights, corruption, regularizers)",
            "exp.yaml:6:41: error: training.optimizer.learning_rate: 0 is out of range (allowed: a number > 0)",
        ], "\(result.errors)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["exp.yaml"])
    }

    @Test func aDuplicateKeyIsOneLine() throws {
        let folder = TemporaryDirectory()
        try Self.config.replacingOccurrences(of: "  epochs: 2", with: "  epochs: 2\n  epochs: 3")
            .write(toFile: folder.file("exp.yaml"), atomically: true, encoding: .utf8)
        let result = try AelabProcess.run(["check", "exp.yaml"], in: folder.path)
        #expect(result.status == 1)
        #expect(result.errors == "exp.yaml:8:3: error: key 'epochs' appears twice in one mapping (first at line 7): epochs: 3 (allowed: each key once per mapping)\n")
    }
}
