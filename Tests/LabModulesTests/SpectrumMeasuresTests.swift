import Testing
import LabCore
@testable import LabModules

/// Operator norm, eigenvalue moduli, the band around 1 and the comparison
/// with initial weights, on maps whose answers are known in closed form.
@Suite struct SpectrumMeasuresTests {
    /// The n x n Householder reflection I - 2 v vᵀ / ‖v‖²: orthogonal, from a chosen v.
    static func reflection(_ v: [Double]) -> [[Double]] {
        let squared = v.reduce(0) { $0 + $1 * $1 }
        return v.indices.map { i in v.indices.map { j in (i == j ? 1 : 0) - 2 * v[i] * v[j] / squared } }
    }

    static let u = reflection([1, -2, 0.5, 3, -1, 2])
    static let v = reflection([-0.5, 1, 2, -1, 1.5, 0.3])

    /// `left` (n x k) diag(values) `right`ᵀ (right: n x k): the first k columns of each.
    static func product(_ left: [[Double]], _ values: [Double], _ right: [[Double]]) -> [[Double]] {
        left.indices.map { i in right.indices.map { j in values.indices.reduce(0) { $0 + left[i][$1] * values[$1] * right[j][$1] } } }
    }

    static func dense(_ matrix: [[Double]]) -> Dense {
        let layer = Dense(inputSize: matrix.count, units: matrix[0].count, usesBias: false,
                          kernelInitializer: Constant(0), biasInitializer: Constant(0))
        layer.kernel.value = Tensor(shape: [matrix.count, matrix[0].count], scalars: matrix.flatMap { $0.map(Float.init) })
        return layer
    }

    /// f(x) = x M with the kernel M = `matrix`: J = Mᵀ, same singular values and eigenvalues as M.
    static func linearMap(_ matrix: [[Double]]) -> Network {
        Network(inputShape: [matrix.count], layers: [dense(matrix)], layerNames: ["dense_1"])
    }

    /// f(x) = x W1 W2 with W1 = U_k diag(values) (6 x k) and W2 = V_kᵀ (k x 6): a bottleneck of width k.
    static func factoredMap(_ values: [Double], left: [[Double]], right: [[Double]]) -> Network {
        let w1 = left.map { row in values.indices.map { row[$0] * values[$0] } }
        let w2 = values.indices.map { k in right.map { $0[k] } }
        return Network(inputShape: [6], layers: [dense(w1), dense(w2)], layerNames: ["dense_1", "dense_2"])
    }

    static let point = Tensor(shape: [1, 6], scalars: [0.3, -0.1, 0.2, 0.5, -0.4, 0.1])

    @Test func theOperatorNormIsTheLargestChosenSingularValue() throws {
        let map = Self.linearMap(Self.product(Self.u, [3, 1.5, 1, 0.7, 0.2, 0.05], Self.v))
        let full = try JacobianSpectrum(route: .full, operatorNorm: true).spectra(of: map, at: Self.point)[0]
        #expect(abs(full.operatorNorm! - 3) < 1e-5)
        #expect(full.spectralRadius <= full.operatorNorm! + 1e-6)

        let factored = Self.factoredMap([2.5, 0.8, 0.3], left: Self.u, right: Self.v)
        for route in [JacobianSpectrum.Route.lowRank, .full] {
            let spectrum = try JacobianSpectrum(route: route, operatorNorm: true).spectra(of: factored, at: Self.point)[0]
            #expect(spectrum.route == route)
            #expect(abs(spectrum.operatorNorm! - 2.5) < 1e-5, "\(route): \(spectrum.operatorNorm!)")
        }
        #expect(try JacobianSpectrum(route: .full).spectra(of: map, at: Self.point)[0].operatorNorm == nil)
    }

    /// On a nonlinear net with a bottleneck the low-rank route's ‖J‖ (from
    /// AᵀA and BBᵀ) is the full route's (SVD of the d x d J).
    @Test func bothRoutesGiveTheSameOperatorNormThroughABottleneck() throws {
        let network = Network(inputShape: [12], layers: [
            Dense(inputSize: 12, units: 5, usesBias: true, kernelInitializer: PyTorchLinear(), biasInitializer: PyTorchLinear()),
            ActivationLayer(typeName: "tanh", activation: Tanh(), inputShape: [5]),
            Dense(inputSize: 5, units: 5, usesBias: true, kernelInitializer: PyTorchLinear(), biasInitializer: PyTorchLinear()),
            ActivationLayer(typeName: "relu", activation: ReLU(), inputShape: [5]),
            Dense(inputSize: 5, units: 12, usesBias: true, kernelInitializer: PyTorchLinear(), biasInitializer: PyTorchLinear()),
        ], layerNames: ["dense_1", "tanh_1", "dense_2", "relu_1", "dense_3"])
        var rng = RandomGenerator(seed: 4)
        network.initializeParameters(using: &rng)
        let points = Tensor(shape: [4, 12]) { rng.fillNormal($0) }
        let low = try JacobianSpectrum(route: .lowRank, operatorNorm: true).spectra(of: network, at: points)
        let full = try JacobianSpectrum(route: .full, operatorNorm: true).spectra(of: network, at: points)
        for (a, b) in zip(low, full) {
            #expect(a.route == .lowRank && b.route == .full)
            #expect(abs(a.operatorNorm! - b.operatorNorm!) <= 1e-4 * b.operatorNorm!, "\(a.operatorNorm!) vs \(b.operatorNorm!)")
        }
    }

    @Test func theBandCountsTheEigenvaluesNearTheUnitCircle() throws {
        // Q diag(λ) Qᵀ: a symmetric map with the chosen eigenvalues; within 0.1 of modulus 1: 1.05, -0.97, 0.92.
        let eigenvalues = [1.05, -0.97, 0.5, 2, 0.92, 1.3]
        let map = Self.linearMap(Self.product(Self.u, eigenvalues, Self.u))
        let analysis = JacobianSpectrumAnalysis(spectrum: JacobianSpectrum(route: .full), keepModuli: true, band: 0.1)
        let result = try analysis.run(network: map, trainingPoints: Self.point)
        #expect(result.summary.first { $0.key == "near_one_mean" }?.value == .double(3))
        #expect(result.summary.first { $0.key == "near_one_fraction" }?.value == .double(0.5))
        #expect(result.arrays.first { $0.name == "near_one_count" }?.tensor.scalars == [3])
        let moduli = try #require(result.arrays.first { $0.name == "eigenvalue_moduli" }?.tensor)
        #expect(moduli.shape == [1, 6])
        for (found, expected) in zip(moduli.scalars, eigenvalues.map(abs).sorted(by: >)) { #expect(abs(Double(found) - expected) < 1e-5) }
        #expect(result.charts.contains { $0.kind == .histogram && $0.array == "eigenvalue_moduli" })

        // Through a bottleneck of width 3 the other 3 eigenvalues are 0: counted by a band that reaches them.
        let factored = Self.factoredMap([1.02, 0.5, 0.99], left: Self.u, right: Self.u)
        let narrow = try JacobianSpectrumAnalysis(spectrum: JacobianSpectrum(route: .lowRank), keepModuli: true, band: 0.05)
            .run(network: factored, trainingPoints: Self.point)
        #expect(narrow.arrays.first { $0.name == "near_one_count" }?.tensor.scalars == [2])
        #expect(narrow.arrays.first { $0.name == "eigenvalue_moduli" }?.tensor.scalars.suffix(3) == [0, 0, 0])
        let wide = try JacobianSpectrumAnalysis(spectrum: JacobianSpectrum(route: .lowRank), band: 1.5).run(network: factored, trainingPoints: Self.point)
        #expect(wide.arrays.first { $0.name == "near_one_count" }?.tensor.scalars == [6])
    }

    @Test func theComparisonReportsInitialAndTrainedRadiiAndTheirChange() throws {
        let initial = Self.linearMap(Self.product(Self.u, [0.5, 0.25, 0.1, 0.1, 0.1, 0.1], Self.u))
        let trained = Self.linearMap(Self.product(Self.u, [2, 1, 0.1, 0.1, 0.1, 0.1], Self.u))
        let points = Tensor(shape: [2, 6], scalars: Self.point.scalars + Self.point.scalars.map { -$0 })
        let analysis = JacobianSpectrumAnalysis(spectrum: JacobianSpectrum(operatorNorm: true), comparesInitialWeights: true)
        let result = try analysis.run(network: trained, initialNetwork: initial, trainingPoints: points)
        func array(_ name: String) -> [Float] { result.arrays.first { $0.name == name }?.tensor.scalars ?? [] }
        #expect(array("spectral_radius").allSatisfy { abs($0 - 2) < 1e-5 } && array("spectral_radius").count == 2)
        #expect(array("spectral_radius_initial").allSatisfy { abs($0 - 0.5) < 1e-5 } && array("spectral_radius_initial").count == 2)
        #expect(array("spectral_radius_change").allSatisfy { abs($0 - 1.5) < 1e-5 })
        #expect(array("operator_norm_initial").allSatisfy { abs($0 - 0.5) < 1e-5 })
        #expect(result.charts.map(\.array).contains("spectral_radius_change"))
        #expect(result.summary.first { $0.key == "radius_change_median" }?.value.doubleValue.map { abs($0 - 1.5) < 1e-5 } == true)
    }

    /// J of a sigmoid net at a point, from the layers' jvp (what the full route
    /// decomposes), against central differences of f, column by column.
    @Test func theJacobianOfASigmoidNetMatchesFiniteDifferences() throws {
        let network = Network(inputShape: [8], layers: [
            Dense(inputSize: 8, units: 40, usesBias: true, kernelInitializer: PyTorchLinear(), biasInitializer: PyTorchLinear()),
            ActivationLayer(typeName: "sigmoid", activation: Sigmoid(), inputShape: [40]),
            Dense(inputSize: 40, units: 8, usesBias: true, kernelInitializer: PyTorchLinear(), biasInitializer: PyTorchLinear()),
        ], layerNames: ["dense_1", "sigmoid_1", "dense_2"])
        var rng = RandomGenerator(seed: 9)
        network.initializeParameters(using: &rng)
        let point = Tensor(shape: [1, 8]) { rng.fillNormal($0) }
        let (_, caches) = network.forward(point)
        let rows = network.jvp(.identity(8), caches: caches)   // row i = J e_i
        let step: Float = 1e-2
        var worst = 0.0
        for i in 0..<8 {
            var plus = point.scalars, minus = point.scalars
            plus[i] += step
            minus[i] -= step
            let difference = zip(network(Tensor(shape: [1, 8], scalars: plus)).scalars, network(Tensor(shape: [1, 8], scalars: minus)).scalars)
                .map { (Double($0) - Double($1)) / (2 * Double(step)) }
            for j in 0..<8 { worst = max(worst, abs(Double(rows.scalars[i * 8 + j]) - difference[j])) }
        }
        #expect(worst < 2e-4, "largest difference \(worst)")
        // The spectrum the analysis reports is that of the same matrix.
        let system = try Eigensystem(columnMajor: rows.scalars.map(Double.init), dimension: 8, computeVectors: false)
        let radius = try JacobianSpectrum(route: .full).spectrum(of: network, at: point).spectralRadius
        #expect(abs(radius - system.spectralRadius) < 1e-9)
    }
}
