import LabCore

extension RecallFromNoise: WorkingSetEstimating {
    /// Every start iterated at once: the starts, the iterate, its successor
    /// and the limits (d values each), and one forward pass of every layer.
    public func workingSetBytes(network: Network, pointCount: Int) -> Double {
        let inputSize = Double(network.inputShape.reduce(1, *))
        let forward = network.layers.reduce(0.0) { $0 + Double($1.outputShape.reduce(1, *)) }
        return 4 * Double(starts) * (4 * inputSize + forward)
    }
}
