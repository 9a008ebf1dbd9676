import Foundation
import Testing
import LabCore
@testable import LabModules

/// Latent codes of a linear bottleneck whose code is known: the encoder
/// W1 (4 -> 2) picks the first two coordinates, the decoder puts them back.
@Suite struct LatentCodesAnalysisTests {
    func dense(_ input: Int, _ output: Int, kernel: [Float]) -> Dense {
        let layer = Dense(inputSize: input, units: output, usesBias: false, kernelInitializer: Constant(0), biasInitializer: Constant(0))
        layer.kernel.value = Tensor(shape: [input, output], scalars: kernel)
        return layer
    }

    func bottleneck(width: Int) -> Network {
        let picks = (0..<4).flatMap { row in (0..<width).map { $0 == row ? Float(1) : 0 } }
        let back = (0..<width).flatMap { row in (0..<4).map { $0 == row ? Float(2) : 0 } }
        return Network(inputShape: [4], layers: [dense(4, width, kernel: picks), dense(width, 4, kernel: back)], layerNames: ["dense_1", "dense_2"])
    }

    let points = Tensor(shape: [3, 4], scalars: [1, 2, 3, 4, -1, 0, 5, 5, 0.5, -2, 0, 0])

    @Test func codesAreTheBottlenecksOutputsWithLabelsAMapAndADecoderGrid() throws {
        let analysis = LatentCodesAnalysis(layer: nil, data: AnalysisData(trainingLabels: [7, 3, 7, 1], first: 3), grid: 3, corruption: nil, seed: 1)
        let result = try analysis.run(network: bottleneck(width: 2), trainingPoints: points)
        #expect(result.summary.first { $0.key == "layer" }?.value == .string("dense_1"), "the narrowest layer by default")
        #expect(result.arrays.first { $0.name == "codes" }?.tensor == Tensor(shape: [3, 2], scalars: [1, 2, -1, 0, 0.5, -2]))
        #expect(result.arrays.first { $0.name == "labels" }?.tensor.scalars == [7, 3, 7])
        let chart = try #require(result.charts.first)
        #expect(chart.kind == .map && chart.array == "map" && chart.labels == "labels")
        // Grid: x from -1 to 1 along rows, y from 2 (top) to -2; the decoder doubles each code into the first two values.
        let grid = try #require(result.arrays.first { $0.name == "decoder_grid" }?.tensor)
        #expect(grid.shape == [3, 3, 4])
        #expect(Array(grid.scalars[0..<4]) == [-2, 4, 0, 0], "top left: code (-1, 2)")
        #expect(Array(grid.scalars[32..<36]) == [2, -4, 0, 0], "bottom right: code (1, -2)")
        #expect(result.imageStrips.first?.array == "decoder_grid")
    }

    /// Codes x = y = 0 ... 99 and one far outlier: the grid spans the 1st to the 99th percentile, 1 to 99.
    @Test func theGridLeavesOutlyingCodesOut() {
        let values = (0..<100).map(Float.init) + [1000]
        let grid = CodeGrid(spanning: Tensor(shape: [101, 2], scalars: values.flatMap { [$0, $0] }), side: 2)
        #expect(grid.xRange == 1...99 && grid.yRange == 1...99)
        #expect(grid.codes.scalars == [1, 99, 99, 99, 1, 1, 99, 1])
    }

    @Test func aThreeDimensionalCodeIsMappedByItsAnglesOnTheSphere() {
        let codes = Tensor(shape: [4, 3], scalars: [2, 0, 0, 0, 3, 0, 0, 0, 0.5, 1, 1, Float(2).squareRoot()])
        let angles = LatentCodesAnalysis.sphereAngles(codes).scalars
        let expected: [Float] = [0, 0, 90, 0, 0, 90, 45, 45]
        #expect(zip(angles, expected).allSatisfy { abs($0 - $1) < 1e-4 }, "\(angles)")
    }

    /// Masking every value makes every input 0, whose code is 0: each code moves by its own length.
    @Test func corruptedInputsShiftTheCodes() throws {
        let analysis = LatentCodesAnalysis(layer: "dense_1", data: AnalysisData(), grid: 0, corruption: MaskingNoise(probability: 1), seed: 1)
        let result = try analysis.run(network: bottleneck(width: 2), trainingPoints: points)
        let shift = try #require(result.summary.first { $0.key == "mean_code_shift" }?.value.doubleValue)
        #expect(abs(shift - (5.0.squareRoot() + 1 + 4.25.squareRoot()) / 3) < 1e-6)
        let map = try #require(result.charts.first { $0.array == "shift_map" })
        #expect(map.labelNames == ["clean", "corrupted"] && result.arrays.first { $0.name == "shift_labels" }?.tensor.scalars == [0, 0, 0, 1, 1, 1])
        #expect(result.arrays.first { $0.name == "shift_map" }?.tensor.scalars.suffix(6) == [0, 0, 0, 0, 0, 0])
    }

    @Test func aGivenDatasetIsEncodedAndAnUnknownLayerNamed() throws {
        let registry = BuiltinModules.registry
        let node = ConfigNode.synthesized(.map([
            .init("type", .string("latent_codes")), .init("layer", .string("dense_1")), .init("first", .int(5)),
            .init("data", .map([.init("type", .string("random")), .init("count", .int(6)), .init("shape", .list([.int(4)]))])),
        ]), keyPath: "analyses[0]")
        let analysis = try registry.analyses.build(node, context: BuildContext(registry: registry, seed: 2)).module
        let result = try analysis.run(network: bottleneck(width: 3), trainingPoints: points)
        let codes = try #require(result.arrays.first { $0.name == "codes" }?.tensor)
        #expect(codes.shape == [5, 3] && result.summary.first { $0.key == "data" }?.value == .string("given"))
        #expect(result.charts.first?.xLabel == "azimuth (degrees)")
        let wrong = LatentCodesAnalysis(layer: "dense_7", data: AnalysisData(), grid: 0, corruption: nil, seed: 1)
        #expect { try wrong.run(network: bottleneck(width: 2), trainingPoints: points) } throws: { "\($0)".contains("dense_1, dense_2") }
    }
}
