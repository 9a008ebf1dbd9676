import Foundation
import Testing
import LabCore
import LabModules
@testable import LabRunner

/// The memory estimate: its terms counted by hand on small nets, and the
/// refusal of configs that need more than the machine has, before anything
/// is allocated, at the line of the value to change.
@Suite struct MemoryEstimateTests {
    static let small = """
        name: small
        data: {type: random, count: 10, shape: [6]}
        model:
          mlp: {width: 4, depth: 1}
        training:
          optimizer: {type: adam, learning_rate: 0.01}
          epochs: 1
          batch_size: 5
        """

    func compose(_ yaml: String, limit: Double = MemoryEstimate.physicalMemory) throws -> Experiment {
        try Experiment(config: try YAMLConfigLoader.parse(yaml, file: "exp.yaml"), registry: BuiltinModules.registry,
                       baseDirectory: ".", source: "exp.yaml", memoryLimit: limit)
    }

    func error(_ yaml: String, limit: Double = MemoryEstimate.physicalMemory) -> String {
        do {
            _ = try compose(yaml, limit: limit)
            return "no error"
        } catch {
            return String(describing: error)
        }
    }

    func bytes(_ estimate: MemoryEstimate, _ name: String) -> Double? {
        estimate.terms.first { $0.name == name }?.bytes
    }

    /// 6 -> 4 -> 6 with biases: 28 + 30 = 58 parameters; Adam keeps two slots;
    /// a batch of 5 holds the input (6), the three outputs (4 + 4 + 6) and two
    /// gradients of the widest (2 x 6) per sample; the data is 10 x 6 values.
    @Test func termsOfASmallMLPAreCountedValueByValue() throws {
        let estimate = try compose(Self.small).memoryEstimate
        #expect(bytes(estimate, "parameters") == Double(4 * 58))
        #expect(bytes(estimate, "gradients") == Double(4 * 58))
        #expect(bytes(estimate, "optimizer state") == Double(4 * 58 * 2))
        #expect(bytes(estimate, "activations") == Double(4 * 5 * (6 + 14 + 12)))
        #expect(bytes(estimate, "dataset") == Double(4 * 60))
        #expect(estimate.totalBytes == 4 * (58 * 4 + 5 * 32 + 60))
    }

    /// The batch is never larger than the data; analyses start from a copy of all of it.
    @Test func batchIsCappedByTheDataAndAnalysesCopyIt() throws {
        let yaml = Self.small.replacingOccurrences(of: "batch_size: 5", with: "batch_size: 1000")
            + "\nanalyses: [{type: jacobian_spectrum, route: full}]"
        let estimate = try compose(yaml).memoryEstimate
        #expect(bytes(estimate, "activations") == Double(4 * 10 * 32))
        #expect(bytes(estimate, "dataset") == Double(2 * 4 * 60))
        // Full route at d = 6: 2 x 6 tangents of 6 values, and the 6 x 6 matrix in float and double.
        #expect(bytes(estimate, "analysis jacobian_spectrum") == Double(2 * 6 * 6 * 4 + 36 * 12))
    }

    /// Basins iterate every noisy copy at once: per copy 5 x 6 input-sized
    /// values and the 4 + 4 + 6 outputs of one forward pass.
    @Test func basinsCountEveryNoisyCopy() throws {
        let yaml = Self.small + "\nanalyses: [{type: basins, noise: [0.1], trials: 3}]"
        #expect(bytes(try compose(yaml).memoryEstimate, "analysis basins") == Double(4 * 10 * 3 * (5 * 6 + 14)))
        let many = Self.small + "\nanalyses: [{type: basins, noise: [0.1], trials: 1e12}]"
        #expect(error(many).hasPrefix("exp.yaml:9:12: error: analyses[0]: this block makes the experiment need "), "\(error(many))")
    }

    /// im2col keeps, per sample, one row of kh·kw·channels values per output pixel.
    @Test func convolutionScratchIsItsIm2colRows() throws {
        let yaml = """
            name: conv
            data: {type: random, count: 2, shape: [8, 8, 2]}
            model:
              layers:
                - {type: conv2d, filters: 3, kernel_size: 3}
                - {type: conv2d, filters: 2, kernel_size: 3}
            training:
              optimizer: {type: sgd, learning_rate: 0.01}
              epochs: 1
            """
        let experiment = try compose(yaml)
        #expect(experiment.network.layers[0].scratchScalarsPerSample == 64 * 9 * 2)
        // Fewer filters than channels: every input pixel times every kernel position.
        #expect(experiment.network.layers[1].scratchScalarsPerSample == 64 * 9 * 2)
        #expect(bytes(experiment.memoryEstimate, "optimizer state") == 0)
    }

    @Test func anEstimateAboveTheLimitNamesTheDominantValueAndItsLine() {
        let manySamples = Self.small.replacingOccurrences(of: "count: 10", with: "count: 100000")
        #expect(error(manySamples, limit: 1_000_000) == "exp.yaml:2:29: error: data.count: '100000' makes the experiment need 2.3 MiB (dataset 2.3 MiB, activations 640 B, optimizer state 464 B, parameters 232 B, gradients 232 B); this machine has 976.6 KiB (allowed: values whose estimate fits in memory)")
        let wide = Self.small.replacingOccurrences(of: "width: 4", with: "width: 1e12")
        #expect(error(wide).hasPrefix("exp.yaml:4:16: error: model.mlp.width: '1e12' makes the experiment need 261.9 TiB (optimizer state 94.6 TiB, activations 72.8 TiB, parameters 47.3 TiB, "), "\(error(wide))")
        let deep = Self.small.replacingOccurrences(of: "width: 4, depth: 1", with: "width: 4, depth: 9000")
        #expect(error(deep, limit: 1_000_000).hasPrefix("exp.yaml:4:26: error: model.mlp.depth: '9000' makes the experiment need "))
        let longSamples = Self.small.replacingOccurrences(of: "shape: [6]", with: "shape: [1000000000]")
        #expect(error(longSamples).hasPrefix("exp.yaml:2:40: error: data.shape: [1000000000] makes the experiment need "), "\(error(longSamples))")
    }

    @Test func sizesThatCannotBeCountedAreShapeErrors() {
        let huge = Self.small.replacingOccurrences(of: "shape: [6]", with: "shape: [4294967296, 4294967296, 4294967296]")
        #expect(error(huge) == "exp.yaml:2:40: error: data.shape: 10 samples of shape [4294967296, 4294967296, 4294967296] hold more values than can be counted")
        #expect(Tensor.scalarCount(of: [4_294_967_296, 4_294_967_296, 4_294_967_296]) == nil)
        #expect(Tensor.scalarCount(of: [3, -1]) == nil)
        #expect(Tensor.scalarCount(of: [3, 4, 5]) == 60 && Tensor.scalarCount(of: []) == 1)
        let deep = Self.small.replacingOccurrences(of: "depth: 1", with: "depth: 1000000")
        #expect(error(deep) == "exp.yaml:4:26: error: model.mlp.depth: 1000000 is out of range (allowed: an integer [1, 10000])")
    }

    @Test func aKernelLargerThanItsImagesIsAShapeError() {
        let yaml = """
            name: conv
            data: {type: random, count: 2, shape: [8, 8, 1]}
            model:
              layers:
                - {type: conv2d, filters: 1, kernel_size: 1000}
            training:
              optimizer: {type: sgd, learning_rate: 0.01}
              epochs: 1
            """
        #expect(error(yaml) == "exp.yaml:5:47: error: model.layers[0].kernel_size: a 1000 x 1000 kernel does not fit 8 x 8 images (allowed: 1 to 8)")
    }

    @Test func bytesReadInBinaryUnits() {
        #expect(MemoryEstimate.format(512) == "512 B")
        #expect(MemoryEstimate.format(1536) == "1.5 KiB")
        #expect(MemoryEstimate.format(23.4 * 1_073_741_824) == "23.4 GiB")
        #expect(MemoryEstimate.format(3 * pow(1024, 6) * 20_000) == "6e+04 EiB")
    }
}
