import Foundation
import Testing
import TestSupport
import LabCore
import LabModules
@testable import LabRunner

/// The first epochs of a tiny net under the memorisation study's protocol
/// (ReLU after every layer, RMSprop with eps inside the root, shuffled
/// batches with a short last one), checked against the protocol computed by
/// hand: plain loops in Double, no code shared with the trainer.
@Suite struct StudyProtocolTrainingTests {
    static let config = """
        name: protocol-by-hand
        seed: 3
        data: {type: random, count: 5, shape: [3], seed: 11}
        model:
          mlp: {width: 2, depth: 1, bias: true, activation: relu, output_activation: relu,
                kernel_initializer: {type: glorot_normal, form: tfjs}, bias_initializer: {type: constant, value: 0.1}}
        training:
          loss: mse
          optimizer: {type: rmsprop, variant: keras, learning_rate: 0.01}
          epochs: 2
          batch_size: 2
          full_loss_every: 1
        """

    /// The protocol by hand: one layer is x W + b then ReLU; the loss is the
    /// mean over a batch's values of (f(x) - x)²; RMSprop keeps ms = 0.9 ms +
    /// 0.1 g² and steps w -= lr g / sqrt(ms + 1e-7).
    struct HandNet {
        var weights: [[Double]]        // kernel 1 (3 x 2), bias 1, kernel 2 (2 x 3), bias 2, row-major
        var meanSquares: [[Double]]
        let shapes = [(3, 2), (2, 3)]

        init(_ parameters: [Parameter]) {
            weights = parameters.map { $0.value.scalars.map(Double.init) }
            meanSquares = weights.map { [Double](repeating: 0, count: $0.count) }
        }

        func layer(_ x: [Double], _ index: Int) -> (pre: [Double], out: [Double]) {
            let (inputs, outputs) = shapes[index]
            let kernel = weights[2 * index], bias = weights[2 * index + 1]
            let pre = (0..<outputs).map { j in bias[j] + (0..<inputs).reduce(0) { $0 + x[$1] * kernel[$1 * outputs + j] } }
            return (pre, pre.map { max($0, 0) })
        }

        func output(_ x: [Double]) -> [Double] { layer(layer(x, 0).out, 1).out }

        func loss(_ batch: [[Double]]) -> Double {
            batch.reduce(0) { sum, x in sum + zip(output(x), x).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } } / Double(batch.count * 3)
        }

        /// One step on `batch`; returns the batch's loss before it.
        mutating func step(_ batch: [[Double]]) -> Double {
            var gradients = weights.map { [Double](repeating: 0, count: $0.count) }
            for x in batch {
                let (pre1, hidden) = layer(x, 0)
                let (pre2, out) = layer(hidden, 1)
                // dL/dpre2 = 2 (out - x) / (B d), through ReLU'(pre2) (0 at 0, as in training).
                let g2 = (0..<3).map { 2 * (out[$0] - x[$0]) / Double(batch.count * 3) * (pre2[$0] > 0 ? 1 : 0) }
                for i in 0..<2 { for j in 0..<3 { gradients[2][i * 3 + j] += hidden[i] * g2[j] } }
                for j in 0..<3 { gradients[3][j] += g2[j] }
                let g1 = (0..<2).map { i in (0..<3).reduce(0) { $0 + g2[$1] * weights[2][i * 3 + $1] } * (pre1[i] > 0 ? 1 : 0) }
                for i in 0..<3 { for j in 0..<2 { gradients[0][i * 2 + j] += x[i] * g1[j] } }
                for j in 0..<2 { gradients[1][j] += g1[j] }
            }
            let before = loss(batch)
            for p in weights.indices {
                for k in weights[p].indices {
                    let g = gradients[p][k]
                    meanSquares[p][k] = 0.9 * meanSquares[p][k] + 0.1 * g * g
                    weights[p][k] -= 0.01 * g / (meanSquares[p][k] + 1e-7).squareRoot()
                }
            }
            return before
        }
    }

    @Test func twoEpochsMatchTheProtocolComputedByHand() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("exp.yaml")
        try Self.config.write(toFile: path, atomically: true, encoding: .utf8)
        let pipeline = ExperimentPipeline(registry: BuiltinModules.registry)
        let (experiment, run) = try pipeline.prepare(path, runDirectory: folder.file("run"))
        var hand = HandNet(experiment.network.parameters)
        let data = experiment.dataset.allSamples()
        let samples = (0..<5).map { row in (0..<3).map { Double(data[row * 3 + $0]) } }
        var rng = experiment.initialTrainingRNG
        var expectedLosses: [(epoch: Double, full: Double)] = []
        for _ in 0..<2 {
            let order = rng.permutation(5)
            // Batches of 2, 2 and 1; the epoch's loss weighs each batch's loss by its size.
            let batches = [Array(order[0..<2]), Array(order[2..<4]), [order[4]]]
            let weighted = batches.reduce(0.0) { sum, batch in sum + hand.step(batch.map { samples[$0] }) * Double(batch.count) }
            expectedLosses.append((weighted / 5, hand.loss(samples)))
        }

        _ = try pipeline.train(experiment, in: run, progress: ProgressReporter(totalEpochs: 2, isTerminal: false, write: { _ in }))
        for (parameter, expected) in zip(experiment.network.parameters, hand.weights) {
            for (value, target) in zip(parameter.value.scalars, expected) {
                #expect(abs(Double(value) - target) <= 1e-5 * max(1, abs(target)), "\(parameter.name): \(value) vs \(target)")
            }
        }
        let rows = try String(contentsOfFile: run.metricsPath, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows[0] == ["epoch", "loss", "seconds", "full_loss"])
        for (epoch, expected) in expectedLosses.enumerated() {
            let row = rows[epoch + 1]
            #expect(abs(Double(row[1])! - expected.epoch) <= 1e-6 * expected.epoch, "epoch \(epoch + 1): mean batch loss \(row[1]) vs \(expected.epoch)")
            #expect(abs(Double(row[3])! - expected.full) <= 1e-6 * expected.full, "epoch \(epoch + 1): full-data loss \(row[3]) vs \(expected.full)")
        }
        // The two measures differ: the batch losses were taken while the weights moved.
        #expect(abs(expectedLosses[1].epoch - expectedLosses[1].full) > 1e-6)
    }

    @Test func theFullDataLossIsRecordedOnlyEveryNthEpoch() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("exp.yaml")
        try Self.config.replacingOccurrences(of: "epochs: 2", with: "epochs: 5").replacingOccurrences(of: "full_loss_every: 1", with: "full_loss_every: 2")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let pipeline = ExperimentPipeline(registry: BuiltinModules.registry)
        let (experiment, run) = try pipeline.prepare(path, runDirectory: folder.file("run"))
        _ = try pipeline.train(experiment, in: run, progress: ProgressReporter(totalEpochs: 5, isTerminal: false, write: { _ in }))
        let full = try String(contentsOfFile: run.metricsPath, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false)[3] }
        #expect(full.map(\.isEmpty) == [true, false, true, false, true])
    }
}
