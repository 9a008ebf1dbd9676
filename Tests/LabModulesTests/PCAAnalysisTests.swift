import Foundation
import Testing
import LabCore
@testable import LabModules

/// PCA on data whose principal axes and variances are known, and a linear
/// autoencoder trained to convergence reaching PCA's reconstruction loss.
@Suite struct PCAAnalysisTests {
    /// A rotation of 3-D space (about z by 30 degrees, then about x by 50).
    static let rotation: [[Float]] = {
        let (a, b) = (Float.pi / 6, Float.pi * 5 / 18)
        let z: [[Float]] = [[cos(a), -sin(a), 0], [sin(a), cos(a), 0], [0, 0, 1]]
        let x: [[Float]] = [[1, 0, 0], [0, cos(b), -sin(b)], [0, sin(b), cos(b)]]
        return (0..<3).map { i in (0..<3).map { j in (0..<3).reduce(0) { $0 + x[i][$1] * z[$1][j] } } }
    }()

    /// Four points mean + Σ_j a_ij u_j with orthogonal, centred coefficient
    /// columns: the variances along the axes u_j (the rotation's columns) are 9, 1 and 0.25.
    static func knownPoints() -> Tensor {
        let coefficients: [[Float]] = [[3, 1, 0.5], [-3, 1, -0.5], [3, -1, -0.5], [-3, -1, 0.5]]
        let mean: [Float] = [0.5, -1, 2]
        let values = coefficients.flatMap { a in (0..<3).map { i in mean[i] + (0..<3).reduce(0) { $0 + a[$1] * rotation[i][$1] } } }
        return Tensor(shape: [4, 3], scalars: values)
    }

    @Test func recoversKnownAxesAndVariances() throws {
        let pca = try PrincipalComponents(of: Self.knownPoints(), count: 2)
        #expect(zip(pca.mean.scalars, [0.5, -1, 2]).allSatisfy { abs($0 - $1) < 1e-5 })
        #expect(zip(pca.variances, [9, 1, 0.25]).allSatisfy { abs($0 - $1) < 1e-5 })
        for axis in 0..<2 {
            let dot = (0..<3).reduce(Float(0)) { $0 + pca.axes[axis * 3 + $1] * Self.rotation[$1][axis] }
            #expect(abs(abs(dot) - 1) < 1e-5, "axis \(axis) is the rotation's column \(axis) up to sign")
        }
    }

    /// Fewer points than values (the other LAPACK route): three points on a line in 5-D.
    @Test func fewPointsOnALineHaveThatLineAsTheirAxis() throws {
        let direction: [Float] = [0.6, 0, -0.8, 0, 0]
        let points = Tensor(shape: [3, 5], scalars: [-1, 0, 2].flatMap { t in direction.map { 1 + t * $0 } })
        let pca = try PrincipalComponents(of: points, count: 2)
        #expect(zip(pca.axes.scalars.prefix(5), [-0.6, 0, 0.8, 0, 0]).allSatisfy { abs($0 - $1) < 1e-5 }, "largest entry positive")
        #expect(abs(pca.variances[0] - 14.0 / 9) < 1e-5 && pca.variances.dropFirst().allSatisfy { abs($0) < 1e-9 })
        #expect(pca.variances.count == 5)
    }

    /// MSE per value = (sum of the discarded variances) / d, here 0.25 / 3.
    @Test func reconstructionErrorIsTheDiscardedVarianceOverTheDimension() throws {
        let points = Self.knownPoints()
        let network = Network(inputShape: [3], layers: [], layerNames: [])
        let result = try PCAAnalysis(components: 2, data: AnalysisData(), loss: MeanSquaredError(), grid: 3, images: 2)
            .run(network: network, trainingPoints: points)
        let mse = try #require(result.summary.first { $0.key == "pca_mse" }?.value.doubleValue)
        #expect(abs(mse - 0.25 / 3) < 1e-6)
        #expect(result.summary.first { $0.key == "autoencoder_mse" }?.value.doubleValue == 0, "the empty network is the identity")
        let ratio = try #require(result.summary.first { $0.key == "explained_variance_ratio" }?.value.doubleValue)
        #expect(abs(ratio - 10 / 10.25) < 1e-6)
        #expect(result.charts.first?.kind == .map && result.arrays.first { $0.name == "decoder_grid" }?.tensor.shape == [3, 3, 3])
    }

    /// The grid's corner codes decode to mean + c1 v1 + c2 v2.
    @Test func theGridDecodesItsCornerCodes() throws {
        let points = Self.knownPoints()
        let pca = try PrincipalComponents(of: points, count: 2)
        let codes = pca.codes(of: points)
        let grid = CodeGrid(spanning: codes, side: 3)
        let result = try PCAAnalysis(components: 2, data: AnalysisData(), loss: MeanSquaredError(), grid: 3, images: 2)
            .run(network: Network(inputShape: [3], layers: [], layerNames: []), trainingPoints: points)
        let strip = try #require(result.arrays.first { $0.name == "decoder_grid" }?.tensor)
        let topLeft = pca.reconstruction(of: Tensor(shape: [1, 2], scalars: [grid.xRange.lowerBound, grid.yRange.upperBound]))
        #expect(zip(strip.scalars[0..<3], topLeft.scalars).allSatisfy { abs($0 - $1) < 1e-5 })
        #expect(abs(grid.xRange.upperBound - 3) < 1e-4 && abs(grid.yRange.lowerBound + 1) < 1e-4, "codes ±3 and ±1 along the axes")
    }

    /// 200 points in 8 dimensions; dense 2, dense 8, no activations, MSE, full-batch Adam.
    @Test func aTrainedLinearAutoencoderReachesPCAsLoss() throws {
        var rng = RandomGenerator(seed: 5)
        let scales: [Float] = [3, 2, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]
        let mixing = Tensor(shape: [8, 8], scalars: (0..<64).map { _ in rng.nextNormal() / Float(8).squareRoot() })
        let raw = Tensor(shape: [200, 8], scalars: (0..<1600).map { scales[$0 % 8] * rng.nextNormal() + 0.5 })
        let points = Tensor.matmul(raw, mixing)
        let initializer = VarianceScaling(scale: 1, mode: .fanAverage, distribution: .uniform)
        let network = Network(inputShape: [8], layers: [
            Dense(inputSize: 8, units: 2, usesBias: true, kernelInitializer: initializer, biasInitializer: Constant(0)),
            Dense(inputSize: 2, units: 8, usesBias: true, kernelInitializer: initializer, biasInitializer: Constant(0)),
        ], layerNames: ["dense_1", "dense_2"])
        network.initializeParameters(using: &rng)
        let optimizer = Adam(learningRate: 0.01)
        let loss = MeanSquaredError()
        for step in 0..<3000 {
            if step == 2000 { optimizer.learningRate = 0.001 }
            let (output, caches) = network.forward(points)
            network.backward(try loss.evaluate(prediction: output, target: points).gradient, caches: caches)
            optimizer.step(network.parameters)
        }
        let result = try PCAAnalysis(components: 2, data: AnalysisData(), loss: loss, grid: 0, images: 1)
            .run(network: network, trainingPoints: points)
        let pca = try #require(result.summary.first { $0.key == "pca_mse" }?.value.doubleValue)
        let autoencoder = try #require(result.summary.first { $0.key == "autoencoder_mse" }?.value.doubleValue)
        #expect(autoencoder >= pca * (1 - 1e-4), "no rank-2 linear map beats PCA")
        #expect(autoencoder <= pca * 1.01, "autoencoder \(autoencoder) vs PCA \(pca)")
    }
}
