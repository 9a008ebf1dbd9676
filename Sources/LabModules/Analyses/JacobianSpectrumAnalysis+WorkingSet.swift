import LabCore

extension JacobianSpectrumAnalysis: WorkingSetEstimating {
    /// One point at a time: n tangents of the input's size (n = the bottleneck
    /// width, or d on the full route), the n x n matrix, and LAPACK's double
    /// copy, eigenvalues and (when asked) eigenvectors.
    public func workingSetBytes(network: Network, pointCount: Int) -> Double {
        let inputSize = Double(network.inputShape.reduce(1, *))
        let split = spectrum.route == .full ? nil : JacobianSpectrum.bottleneck(of: network)
        let n = split.map { Double($0.width) } ?? inputSize
        let tangents = 2 * n * inputSize * 4
        let eigensystem = n * n * (4 + 8 + (spectrum.leadingVector ? 8 : 0))
        return tangents + eigensystem
    }
}
