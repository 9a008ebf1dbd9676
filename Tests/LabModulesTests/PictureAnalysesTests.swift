import Testing
import LabCore
@testable import LabModules

/// The analyses that picture iteration and reconstruction, on maps whose
/// iterates are known: f(x) = x / 2 and f(x) = 2x, on 1 x 2 "images".
@Suite struct PictureAnalysesTests {
    func scaling(by factor: Float) -> Network {
        let layer = Dense(inputSize: 2, units: 2, usesBias: false, kernelInitializer: Constant(0), biasInitializer: Constant(0))
        layer.kernel.value = Tensor(shape: [2, 2], scalars: [factor, 0, 0, factor])
        return Network(inputShape: [2], layers: [layer], layerNames: ["dense_1"])
    }

    let points = Tensor(shape: [3, 2], scalars: [4, 8, 0.5, 0.25, -2, 2])

    @Test func iteratesHoldEachPowerOfFAndTheNearestImage() throws {
        let result = try IteratesAnalysis(images: 2, steps: [1, 3]).run(network: scaling(by: 0.5), trainingPoints: points)
        let strip = try #require(result.arrays.first { $0.name == "strip" }?.tensor)
        #expect(strip.shape == [2, 4, 2])
        // Row 0: the image (4, 8), f = (2, 4), f³ = (0.5, 1), and the image nearest f³: #1 (0.5, 0.25).
        #expect(Array(strip.scalars[0..<8]) == [4, 8, 2, 4, 0.5, 1, 0.5, 0.25])
        // Row 1: (0.5, 0.25), f, f³, and itself nearest (its f³ is (1/16, 1/32), nearer it than the others).
        #expect(Array(strip.scalars[8..<16]) == [0.5, 0.25, 0.25, 0.125, 0.0625, 0.03125, 0.5, 0.25])
        let declared = try #require(result.imageStrips.first)
        #expect(declared.columnTitles == ["image", "f", "f³", "nearest"] && declared.valueRange == [-2, 8])
        #expect(declared.caption.contains("the first 2 of the 3 training images"))
        #expect(result.table.last == ["2", "1", "0"], "image 1 ends nearest itself, image 0 nearest image 1")
    }

    @Test func aDivergedIterateHasNoNearestImage() throws {
        let result = try IteratesAnalysis(images: 1, steps: [1, 1000]).run(network: scaling(by: 2), trainingPoints: points)
        let strip = try #require(result.arrays.first { $0.name == "strip" }?.tensor)
        #expect(strip.scalars[6...7].allSatisfy { $0.isNaN })
        #expect(result.summary.first { $0.key == "nearest_index" }?.value == .list([.int(-1)]))
        #expect(result.imageStrips[0].caption.contains("image 0 diverged"))
    }

    @Test func reconstructionsShowCleanAndCorruptedInputsAndTheirOutputs() throws {
        let registry = BuiltinModules.registry
        let node = ConfigNode.synthesized(.map([.init("type", .string("reconstructions")), .init("images", .int(2))]), keyPath: "analyses[0]")
        // No corruption named: the training's (here every value masked to 0).
        let context = BuildContext(registry: registry, seed: 1, corruption: MaskingNoise(probability: 1))
        let analysis = try registry.analyses.build(node, context: context).module
        let result = try analysis.run(network: scaling(by: 0.5), trainingPoints: points)
        let strip = try #require(result.arrays.first { $0.name == "strip" }?.tensor)
        #expect(strip.shape == [4, 2, 2])
        #expect(strip.scalars == [4, 8, 0.5, 0.25, 2, 4, 0.25, 0.125, 0, 0, 0, 0, 0, 0, 0, 0])
        let fromClean = try #require(result.summary.first { $0.key == "mean_distance_from_clean" }?.value.doubleValue)
        #expect(abs(fromClean - ((2.0 * 2 + 4 * 4).squareRoot() + (0.0625 + 0.015625).squareRoot()) / 2) < 1e-6)
        // Without a corruption anywhere: the clean rows alone.
        let plain = try registry.analyses.build(node, context: BuildContext(registry: registry, seed: 1)).module
        let cleanOnly = try plain.run(network: scaling(by: 0.5), trainingPoints: points)
        #expect(cleanOnly.arrays[0].tensor.shape == [2, 2, 2])
    }

    /// Kernel values 0, 1, 2, ... show where each unit's and filter's weights land.
    @Test func weightsPictureEachUnitsIncomingWeightsAndEachFilter() throws {
        let dense = Dense(inputSize: 4, units: 3, usesBias: false, kernelInitializer: Constant(0), biasInitializer: Constant(0))
        dense.kernel.value = Tensor(shape: [4, 3], scalars: (0..<12).map(Float.init))
        let network = Network(inputShape: [2, 2], layers: [Reshape(typeName: "flatten", inputShape: [2, 2], outputShape: [4]), dense], layerNames: ["flatten_1", "dense_1"])
        var analysis = WeightPicturesAnalysis(layer: nil, tiles: 10)
        analysis.tilesPerRow = 2
        let result = try analysis.run(network: network, trainingPoints: Tensor(shape: [1, 4], scalars: [0, 0, 0, 0]))
        let strip = try #require(result.arrays.first?.tensor)
        #expect(strip.shape == [2, 2, 4])
        // Units 0, 1, 2 as [w(0, j), w(1, j), w(2, j), w(3, j)], then one tile of the mean, 5.5.
        #expect(strip.scalars == [0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11, 5.5, 5.5, 5.5, 5.5])
        #expect(result.imageStrips.first?.sampleShape == [2, 2], "as many inputs as the network has: tiles shaped like its input")

        let convolution = try #require(try BuiltinModules.registry.buildLayer(
            ConfigNode.synthesized(.map([.init("type", .string("conv2d")), .init("filters", .int(2)), .init("kernel_size", .int(2))]),
                                   keyPath: "layers[0]"),
            context: BuildContext(registry: BuiltinModules.registry, inputShape: [4, 4, 1])).layer as? Conv2D)
        convolution.kernel.value = Tensor(shape: [2, 2, 1, 2], scalars: (0..<8).map(Float.init))
        let (filters, shape, _) = try WeightPicturesAnalysis.kernels(of: convolution, inputShape: [4, 4, 1], name: "conv2d_1")
        #expect(filters == [[0, 2, 4, 6], [1, 3, 5, 7]] && shape == [2, 2, 1])
        let relu = ActivationLayer(typeName: "relu", activation: ReLU(), inputShape: [4])
        #expect(throws: AnalysisError.self) { try WeightPicturesAnalysis.kernels(of: relu, inputShape: nil, name: "relu_1") }
    }
}
