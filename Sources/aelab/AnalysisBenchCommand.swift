import ArgumentParser
import LabCore
import LabRunner

struct AnalysisBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyses",
        abstract: "Time spectral radii and batched fixed-point iteration on an mlp autoencoder.")

    @Option(help: "Input (and output) size.") var input = 3072
    @Option(help: "Hidden width.") var width = 128
    @Option(help: "Number of hidden layers.") var depth = 11
    @Option(help: "Number of points.") var points = 100
    @Option(help: "Fixed-point iterations.") var iterations = 1000
    @OptionGroup var blas: BLASThreadsOption
    @Flag(help: "Skip the full d x d route (slow for large inputs).") var skipFull = false

    func run() throws {
        blas.apply()
        var benchmark = AnalysisBenchmark()
        benchmark.inputSize = input
        benchmark.width = width
        benchmark.depth = depth
        benchmark.points = points
        benchmark.iterations = iterations
        benchmark.includeFullRoute = !skipFull
        print("analyses, \(input) -> \(width) x \(depth) -> \(input) ReLU, \(points) points, \(BLAS.settingsDescription)")
        let result = try benchmark.run(registry: ModuleCatalog.registry)
        print(String(format: "spectral radius, low-rank route: %.3f s for %d points (%.2f ms per point)",
                     result.spectralRadiusSeconds, points, result.spectralRadiusSeconds / Double(points) * 1e3))
        if let full = result.fullRouteSecondsPerPoint {
            print(String(format: "spectral radius, full route:     %.3f s for 1 point", full))
        }
        print(String(format: "fixed-point iteration: %.3f s for %d iterations of %d points (plain forward passes: %.3f s)",
                     result.iterationSeconds, iterations, points, result.forwardSeconds))
    }
}
