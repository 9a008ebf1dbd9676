/// Studies a trained network on its training points and returns a result the
/// runner stores (JSON summary, HDF5 arrays) and prints.
///
/// An implementer guarantees: the network's parameters are left as they
/// were; `trainingPoints` has shape `[N] + network.inputShape`; per-point
/// arrays have N rows in the order of the points; randomness comes from a
/// seed the analysis was built with, so results reproduce; numbers that do
/// not exist (a NaN limit, say) are reported as such, never counted as
/// success.
public protocol Analysis {
    var typeName: String { get }
    func run(network: Network, trainingPoints: Tensor) throws -> AnalysisResult
}
