import Foundation
import LabCore
import LabModules

/// Times the attractor analyses' two kernels on an `mlp` autoencoder over
/// random points: the spectral radius at every point (low-rank route, and
/// the full d x d route at one point for comparison), and batched
/// fixed-point iterations beside the same number of plain forward passes.
public struct AnalysisBenchmark {
    public var inputSize = 3072
    public var width = 128
    public var depth = 11
    public var points = 100
    public var iterations = 1000
    public var includeFullRoute = true

    public init() {}

    public struct Result: Sendable {
        public var spectralRadiusSeconds: Double
        public var fullRouteSecondsPerPoint: Double?
        public var iterationSeconds: Double
        public var forwardSeconds: Double
    }

    public func run(registry: Registry) throws -> Result {
        let yaml = """
            name: bench
            seed: 1
            data: {type: random, count: \(points), shape: [\(inputSize)]}
            model:
              mlp: {width: \(width), depth: \(depth), bias: true, activation: relu}
            training: {optimizer: rmsprop, epochs: 1}
            """
        let experiment = try Experiment(config: try YAMLConfigLoader.parse(yaml, file: "benchmark"),
                                        registry: registry, baseDirectory: ".", source: "benchmark")
        let network = experiment.network
        let samples = experiment.dataset.allSamples()
        let clock = ContinuousClock()
        func seconds(_ body: () throws -> Void) rethrows -> Double {
            let start = clock.now
            try body()
            return (clock.now - start).inSeconds
        }

        let lowRank = JacobianSpectrum(route: .lowRank)
        _ = try lowRank.spectrum(of: network, at: samples.rows(0..<1))  // warm-up
        let spectral = try seconds { _ = try lowRank.spectra(of: network, at: samples) }
        let full = includeFullRoute
            ? try seconds { _ = try JacobianSpectrum(route: .full).spectrum(of: network, at: samples.rows(0..<1)) } : nil

        // A negative tolerance is never met, so every point stays in the batch
        // for all iterations (the worst case), even where the untrained net
        // reaches an exact fixed point.
        let iterate = FixedPointIteration(tolerance: -1, budget: iterations, extendedBudget: iterations)
        let iterating = seconds { _ = iterate.run(network, from: samples) }
        let forward = seconds {
            var batch = samples
            for _ in 0..<iterations { batch = network(batch) }
        }
        return Result(spectralRadiusSeconds: spectral, fullRouteSecondsPerPoint: full,
                      iterationSeconds: iterating, forwardSeconds: forward)
    }
}
