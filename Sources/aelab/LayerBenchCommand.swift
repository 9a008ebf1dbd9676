import ArgumentParser
import Foundation
import LabCore
import LabRunner

struct LayerBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layers",
        abstract: "Time each layer of a config's network, forward and backward, against sgemm on its products.")

    @Argument(help: "Experiment config (YAML).") var config: String
    @Option(help: "Batch size.") var batch = 128
    @OptionGroup var blas: BLASThreadsOption

    func run() throws {
        blas.apply()
        guard batch > 0 else { throw ValidationError("--batch must be positive, got \(batch)") }
        let experiment = try ExperimentPipeline(registry: ModuleCatalog.registry).prepare(config).0
        var benchmark = LayerBenchmark()
        benchmark.batchSize = batch
        print("\(experiment.name): batch \(batch), \(BLAS.settingsDescription)")
        let result = try benchmark.run(experiment)
        print("layer               output shape      forward ms  backward ms  sgemm ms")
        for row in result.rows {
            let gemm = row.gemmSeconds.map { String(format: "%8.3f", $0 * 1e3) } ?? "       -"
            print(row.name.padding(toLength: 20, withPad: " ", startingAt: 0)
                  + "\(row.shape)".padding(toLength: 16, withPad: " ", startingAt: 0)
                  + String(format: "  %10.3f  %11.3f  ", row.forwardSeconds * 1e3, row.backwardSeconds * 1e3) + gemm)
        }
        let layers = result.rows.reduce(0) { $0 + $1.forwardSeconds + $1.backwardSeconds }
        print(String(format: "training step %.2f ms (layers %.2f ms, sgemm %.2f ms: %.0f%% of the step)",
                     result.stepSeconds * 1e3, layers * 1e3, result.gemmSeconds * 1e3, result.gemmSeconds / result.stepSeconds * 100))
    }
}
