/// Studies a trained network on its training points and returns a result the
/// runner stores (JSON summary, HDF5 arrays) and prints.
public protocol Analysis {
    var typeName: String { get }
    func run(network: Network, trainingPoints: Tensor) throws -> AnalysisResult
}
