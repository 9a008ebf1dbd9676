import ArgumentParser
import Foundation
import LabCore
import LabRunner

struct StepBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step",
        abstract: "Time a training step of an mlp autoencoder against sgemm on the step's own shapes.")

    @Option(help: "Input (and output) size.") var input = 3072
    @Option(help: "Hidden width.") var width = 128
    @Option(help: "Number of hidden layers.") var depth = 11
    @Option(help: "Optimizer: sgd, rmsprop or adam.") var optimizer = "rmsprop"
    @Option(help: "Hidden activation, e.g. relu, sigmoid, tanh.") var activation = "relu"
    @Option(help: "Batch sizes, comma-separated.") var batch = "100,32"
    @OptionGroup var blas: BLASThreadsOption
    @Flag(help: "Dense layers without bias.") var noBias = false

    func run() throws {
        blas.apply()
        var benchmark = StepBenchmark()
        benchmark.inputSize = input
        benchmark.width = width
        benchmark.depth = depth
        benchmark.bias = !noBias
        benchmark.optimizer = optimizer
        benchmark.activation = activation
        benchmark.batchSizes = try batch.split(separator: ",").map {
            guard let size = Int($0.trimmingCharacters(in: .whitespaces)), size > 0 else {
                throw ValidationError("--batch takes positive integers separated by commas, got '\(batch)'")
            }
            return size
        }
        print("training step, \(input) -> \(width) x \(depth) -> \(input) \(activation), bias \(!noBias ? "on" : "off"), "
              + "\(optimizer), \(BLAS.settingsDescription)")
        print("batch  ms/step  (forward  loss+backward  update)  sgemm ms  sgemm GFLOP/s  step GFLOP/s  step/sgemm")
        for result in try benchmark.run(registry: ModuleCatalog.registry) {
            let gflop = result.gemmFlopsPerStep / 1e9
            print(String(format: "%5d  %7.3f  (%7.3f  %13.3f  %6.3f)  %8.3f  %13.1f  %12.1f  %9.0f%%",
                         result.batchSize, result.secondsPerStep * 1e3, result.forwardSeconds * 1e3,
                         (result.forwardBackwardSeconds - result.forwardSeconds) * 1e3,
                         (result.secondsPerStep - result.forwardBackwardSeconds) * 1e3, result.gemmSecondsPerStep * 1e3,
                         gflop / result.gemmSecondsPerStep, gflop / result.secondsPerStep, result.stepEfficiency * 100))
        }
    }
}
