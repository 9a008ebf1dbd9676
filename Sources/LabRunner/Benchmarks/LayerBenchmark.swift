import LabCore
import LabModules

/// Milliseconds of each layer's forward and backward pass for an
/// experiment's network on a random batch, next to what `cblas_sgemm` alone
/// needs for the products of its Dense and convolution layers. Shows where a
/// step's time goes beyond BLAS (copies, pooling, activations).
public struct LayerBenchmark {
    public var batchSize = 128
    public var secondsPerMeasurement = 0.5

    public init() {}

    public struct Row: Sendable {
        public var name: String
        public var shape: [Int]
        public var forwardSeconds: Double
        public var backwardSeconds: Double
        /// sgemm alone on the layer's products; nil for layers without any.
        public var gemmSeconds: Double?
    }

    public struct Result: Sendable {
        public var rows: [Row]
        public var stepSeconds: Double
        public var gemmSeconds: Double { rows.compactMap(\.gemmSeconds).reduce(0, +) }
    }

    public func run(_ experiment: Experiment) throws -> Result {
        let network = experiment.network
        let callerFlushes = DenormalMode.flushesToZero
        DenormalMode.setFlushesToZero(experiment.training.flushDenormals)
        defer { DenormalMode.setFlushesToZero(callerFlushes) }
        var rng = RandomGenerator(seed: 11)
        let batch = Tensor(shape: [batchSize] + network.inputShape) { rng.fillUniform($0) }
        let step = TrainingStep(network: network, loss: experiment.loss, optimizer: experiment.optimizer,
                                regularizers: experiment.regularizers)
        let stepSeconds = try BenchmarkTimer.time(minimumSeconds: secondsPerMeasurement * 4) {
            try step(input: batch, target: batch)
        }
        var rows: [Row] = []
        var input = batch
        for (index, layer) in network.layers.enumerated() {
            let (output, cache) = layer.forward(input)
            let layerInput = input
            let forward = BenchmarkTimer.time(minimumSeconds: secondsPerMeasurement) { _ = layer.forward(layerInput) }
            let backward = BenchmarkTimer.time(minimumSeconds: secondsPerMeasurement) {
                _ = layer.backward(output, cache: cache, needsInputGradient: index > 0)
            }
            let products = gemmShapes(of: layer, isFirst: index == 0)
            let gemm = products.isEmpty ? nil : products.reduce(0.0) { total, shape in
                total + BenchmarkTimer.time(minimumSeconds: secondsPerMeasurement / 2) { shape.run() }
            }
            rows.append(Row(name: network.layerNames[index], shape: layer.outputShape,
                            forwardSeconds: forward, backwardSeconds: backward, gemmSeconds: gemm))
            input = output
        }
        return Result(rows: rows, stepSeconds: stepSeconds)
    }

    /// Forward product, kernel gradient, and (past the first layer) input gradient.
    func gemmShapes(of layer: any Layer, isFirst: Bool) -> [GEMMShape] {
        let (m, k, n): (Int, Int, Int)
        if let dense = layer as? Dense {
            (m, k, n) = (batchSize, dense.inputShape[0], dense.units)
        } else if let conv = layer as? Conv2D {
            let shape = conv.productShape
            (m, k, n) = (batchSize * shape.rowsPerSample, shape.inner, shape.columns)
        } else if let transposed = layer as? ConvTranspose2D {
            let shape = transposed.productShape
            (m, k, n) = (batchSize * shape.rowsPerSample, shape.inner, shape.columns)
        } else {
            return []
        }
        var shapes = [GEMMShape(m: m, n: n, k: k), GEMMShape(m: k, n: n, k: m, transposeA: true)]
        if !isFirst { shapes.append(GEMMShape(m: m, n: k, k: n, transposeB: true)) }
        return shapes
    }
}
