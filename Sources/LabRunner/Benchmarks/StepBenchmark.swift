import Foundation
import LabCore
import LabModules

/// Seconds per training step of an `mlp` autoencoder, next to the time
/// `cblas_sgemm` alone needs for the same step's matrix products (forward,
/// kernel gradients, input gradients), measured the same way. Their ratio
/// says how close the step comes to pure BLAS.
public struct StepBenchmark {
    public var inputSize = 3072
    public var width = 128
    public var depth = 11
    public var bias = true
    public var activation = "relu"
    public var optimizer = "rmsprop"
    public var batchSizes = [100, 32]
    /// Each measurement runs at least this long, in rounds (see `time`).
    public var secondsPerMeasurement = 2.0

    public init() {}

    public struct Result: Sendable {
        public var batchSize: Int
        public var secondsPerStep: Double
        /// The step in phases: forward alone; forward, loss and backward.
        public var forwardSeconds: Double
        public var forwardBackwardSeconds: Double
        public var gemmSecondsPerStep: Double
        public var gemmFlopsPerStep: Double
        public var stepEfficiency: Double { gemmSecondsPerStep / secondsPerStep }
    }

    public func run(registry: Registry) throws -> [Result] {
        try batchSizes.map { try measure(batchSize: $0, registry: registry) }
    }

    func measure(batchSize: Int, registry: Registry) throws -> Result {
        let yaml = """
            name: bench
            seed: 1
            data: {type: random, count: \(batchSize), shape: [\(inputSize)]}
            model:
              mlp: {width: \(width), depth: \(depth), bias: \(bias), activation: \(activation)}
            training: {optimizer: \(optimizer), epochs: 1, batch_size: \(batchSize)}
            """
        let experiment = try Experiment(config: try YAMLConfigLoader.parse(yaml, file: "benchmark"),
                                        registry: registry, baseDirectory: ".", source: "benchmark")
        let callerFlushes = DenormalMode.flushesToZero
        DenormalMode.setFlushesToZero(experiment.training.flushDenormals)
        defer { DenormalMode.setFlushesToZero(callerFlushes) }
        let step = TrainingStep(network: experiment.network, loss: experiment.loss, optimizer: experiment.optimizer)
        let batch = experiment.dataset.allSamples()
        let secondsPerStep = try BenchmarkTimer.time(minimumSeconds: secondsPerMeasurement) {
            try step(input: batch, target: batch)
        }
        let network = experiment.network
        let forwardSeconds = BenchmarkTimer.time(minimumSeconds: secondsPerMeasurement / 3) { _ = network(batch) }
        let forwardBackwardSeconds = try BenchmarkTimer.time(minimumSeconds: secondsPerMeasurement / 3) {
            let (output, caches) = network.forward(batch)
            network.backward(try experiment.loss.evaluate(prediction: output, target: batch).gradient, caches: caches)
        }

        var gemmSeconds = 0.0
        var flops = 0.0
        for shape in gemmShapes(network: experiment.network, batchSize: batchSize) {
            let seconds = BenchmarkTimer.time(minimumSeconds: secondsPerMeasurement / 10) { shape.run() }
            gemmSeconds += seconds
            flops += 2 * Double(shape.m) * Double(shape.n) * Double(shape.k)
        }
        return Result(batchSize: batchSize, secondsPerStep: secondsPerStep, forwardSeconds: forwardSeconds,
                      forwardBackwardSeconds: forwardBackwardSeconds, gemmSecondsPerStep: gemmSeconds, gemmFlopsPerStep: flops)
    }

    /// The products `Dense` performs in one step: x W forward, xᵀ g for the
    /// kernel gradient, g Wᵀ for the input gradient (not for the first layer).
    func gemmShapes(network: Network, batchSize: Int) -> [GEMMShape] {
        var shapes: [GEMMShape] = []
        for (index, layer) in network.layers.enumerated() {
            guard let dense = layer as? Dense else { continue }
            let (input, output) = (dense.inputShape[0], dense.units)
            shapes.append(GEMMShape(m: batchSize, n: output, k: input))
            shapes.append(GEMMShape(m: input, n: output, k: batchSize, transposeA: true))
            if index > 0 { shapes.append(GEMMShape(m: batchSize, n: input, k: output, transposeB: true)) }
        }
        return shapes
    }
}
