/// An analysis whose working set can be large beside the network (a d x d
/// Jacobian, say) says how large before it runs, so an experiment that
/// cannot fit is refused before anything is trained.
public protocol WorkingSetEstimating {
    /// Bytes the analysis holds at its peak on `pointCount` points of `network`.
    func workingSetBytes(network: Network, pointCount: Int) -> Double
}
