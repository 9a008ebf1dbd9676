import LabCore

extension BasinsAnalysis: WorkingSetEstimating {
    /// `trials` noisy starts per point, all iterated at once: the clean and
    /// noisy copies, the iterate, its successor and the limits (d values each),
    /// and one forward pass of every layer.
    public func workingSetBytes(network: Network, pointCount: Int) -> Double {
        let starts = Double(pointCount) * Double(trials)
        let inputSize = Double(network.inputShape.reduce(1, *))
        let forward = network.layers.reduce(0.0) { $0 + Double($1.outputShape.reduce(1, *)) }
        return 4 * starts * (5 * inputSize + forward)
    }
}
