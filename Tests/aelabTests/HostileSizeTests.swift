import Foundation
import Testing
import TestSupport

/// Sizes that pass each key's own check but could never be allocated are
/// refused by `aelab run` and `aelab check` before anything is written: a
/// clear error at the key's line, exit status 1, and no run directory.
@Suite struct HostileSizeTests {
    static let mlp = """
        name: hostile
        data: {type: random, count: COUNT, shape: SHAPE}
        model:
          mlp: {width: WIDTH, depth: DEPTH}
        training:
          optimizer: {type: rmsprop, learning_rate: 0.001}
          epochs: 1
        """

    static func mlp(count: String = "8", shape: String = "[12]", width: String = "4", depth: String = "1") -> String {
        mlp.replacingOccurrences(of: "COUNT", with: count).replacingOccurrences(of: "SHAPE", with: shape)
            .replacingOccurrences(of: "WIDTH", with: width).replacingOccurrences(of: "DEPTH", with: depth)
    }

    static let convolution = """
        name: hostile
        data: {type: random, count: 4, shape: [28, 28, 1]}
        model:
          layers:
            - {type: conv2d, filters: 1, kernel_size: 1000}
        training:
          optimizer: {type: sgd, learning_rate: 0.01}
          epochs: 1
        """

    /// Runs `command` on `config` in a fresh folder; the folder must hold only the config afterwards.
    func refusal(_ config: String, command: String = "run") throws -> AelabProcess.Result {
        let folder = TemporaryDirectory()
        try config.write(toFile: folder.file("exp.yaml"), atomically: true, encoding: .utf8)
        let arguments = command == "run" ? ["run", "exp.yaml", "--runs-dir", "runs"] : [command, "exp.yaml"]
        let result = try AelabProcess.run(arguments, in: folder.path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["exp.yaml"], "\(command) wrote files")
        #expect(result.status == 1, "\(result.errors)")
        return result
    }

    @Test func aWidthOfATrillionIsRefusedWithItsEstimate() throws {
        let result = try refusal(Self.mlp(width: "1e12"))
        #expect(result.errors.hasPrefix("exp.yaml:4:16: error: model.mlp.width: '1e12' makes the experiment need "), "\(result.errors)")
        #expect(result.errors.contains("(activations 116.4 TiB, parameters 90.9 TiB, gradients 90.9 TiB, optimizer state 90.9 TiB, dataset 384 B)") && result.errors.contains("; this machine has "), "\(result.errors)")
    }

    @Test func twoBillionRandomSamplesAreRefusedAtTheCount() throws {
        let result = try refusal(Self.mlp(count: "2000000000"))
        #expect(result.errors.hasPrefix("exp.yaml:2:29: error: data.count: '2000000000' makes the experiment need 89.4 GiB (dataset 89.4 GiB, "), "\(result.errors)")
    }

    @Test func aBillionValuesPerSampleAreRefusedAtTheShape() throws {
        let result = try refusal(Self.mlp(shape: "[1000000000]"))
        #expect(result.errors.hasPrefix("exp.yaml:2:39: error: data.shape: [1000000000] makes the experiment need 249.6 GiB (activations 119.2 GiB, "), "\(result.errors)")
    }

    @Test func aMillionLayersAreOutOfRange() throws {
        let result = try refusal(Self.mlp(depth: "1000000"))
        #expect(result.errors == "exp.yaml:4:26: error: model.mlp.depth: 1000000 is out of range (allowed: an integer [1, 10000])\n")
    }

    @Test func aShapeWhoseProductOverflowsIsAShapeError() throws {
        let result = try refusal(Self.mlp(shape: "[4294967296, 4294967296, 4294967296]"))
        #expect(result.errors == "exp.yaml:2:39: error: data.shape: 8 samples of shape [4294967296, 4294967296, 4294967296] hold more values than can be counted\n")
    }

    @Test func aKernelLargerThanItsImagesIsRefusedByRunAndCheck() throws {
        let expected = "exp.yaml:5:47: error: model.layers[0].kernel_size: a 1000 x 1000 kernel does not fit 28 x 28 images (allowed: 1 to 28)\n"
        #expect(try refusal(Self.convolution).errors == expected)
        #expect(try refusal(Self.convolution, command: "check").errors == expected)
    }

    @Test func checkPrintsTheEstimateAndWritesNothing() throws {
        let folder = TemporaryDirectory()
        try Self.mlp().write(toFile: folder.file("exp.yaml"), atomically: true, encoding: .utf8)
        let result = try AelabProcess.run(["check", "exp.yaml"], in: folder.path)
        #expect(result.status == 0, "\(result.errors)")
        // 12 -> 4 -> 12: 52 + 60 parameters, one RMSprop slot; a batch of 8 (the data) holds
        // 12 + (4 + 4 + 12) + 2 x 12 values per sample; 8 x 12 samples.
        #expect(result.output.hasPrefix("experiment hostile: 112 parameters, 8 samples, 1 epochs; memory estimate 3.4 KiB (activations 1.8 KiB, parameters 448 B, gradients 448 B, optimizer state 448 B, dataset 384 B) of "), "\(result.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["exp.yaml"])
    }
}
