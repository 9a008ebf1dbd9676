import Foundation
import Testing
import TestSupport
import LabCore
import LabModules
@testable import LabRunner

/// Values at the edge of Int that a key's range accepts, and what they used
/// to overflow: the batch count, a convolution's output size, a sweep's points.
@Suite struct HostileValueTests {
    static let largest = "9223372036854775807"

    func compose(_ yaml: String) throws -> Experiment {
        try Experiment(config: try YAMLConfigLoader.parse(yaml, file: "exp.yaml"), registry: BuiltinModules.registry,
                       baseDirectory: ".", source: "exp.yaml")
    }

    @Test func theLargestBatchSizeIsOneBatchOfEverything() throws {
        let experiment = try compose("""
            name: batch
            data: {type: random, count: 10, shape: [6]}
            model: {mlp: {width: 4, depth: 1}}
            training: {optimizer: sgd, epochs: 1, batch_size: \(Self.largest)}
            """)
        #expect(experiment.training.batchesPerEpoch(sampleCount: 10) == 1)
        #expect(experiment.training.batchesPerEpoch(sampleCount: 0) == 0)
        #expect(10.dividedRoundingUp(by: 3) == 4 && 9.dividedRoundingUp(by: 3) == 3 && Int.max.dividedRoundingUp(by: Int.max) == 1)
    }

    /// With `same` padding a stride past the image leaves one output pixel per side.
    @Test func theLargestStrideGivesOnePixel() throws {
        let experiment = try compose("""
            name: stride
            data: {type: random, count: 2, shape: [8, 8, 1]}
            model:
              layers:
                - {type: conv2d, filters: 2, kernel_size: 3, stride: \(Self.largest)}
                - {type: conv_transpose2d, filters: 1, kernel_size: 3, stride: 8}
            training: {optimizer: sgd, epochs: 1}
            """)
        #expect(experiment.network.layers[0].outputShape == [1, 1, 2])
    }

    @Test func aSweepOfMoreThanTenThousandPointsIsRefused() throws {
        let folder = TemporaryDirectory()
        try SweepPlanTests.config.replacingOccurrences(of: "repeats: 2", with: "repeats: \(Self.largest)")
            .write(toFile: folder.file("sweep.yaml"), atomically: true, encoding: .utf8)
        let error = #expect(throws: ConfigError.self) { try SweepPlan(configFile: folder.file("sweep.yaml")) }
        #expect(error?.description == "\(folder.file("sweep.yaml")):8:3: error: sweep: the grid, variants and repeats declare more than 10000 points (3 x 2 x 2 x \(Self.largest)) (allowed: at most 10000 points)")
    }
}
