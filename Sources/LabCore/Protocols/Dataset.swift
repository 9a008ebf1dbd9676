/// A fixed collection of samples, each of shape `sampleShape`, addressed by index.
///
/// An implementer guarantees: `batch(indices)` returns a tensor of shape
/// `[indices.count] + sampleShape` holding exactly those samples in that
/// order, the same values every time (any randomness is drawn once, from a
/// seed); a file that is missing or malformed is reported when the dataset is
/// built, naming the file and what was expected.
public protocol Dataset {
    var count: Int { get }
    var sampleShape: [Int] { get }
    /// Class labels, one per sample, for datasets that have them.
    var labels: [Int]? { get }
    /// The samples at `indices`, stacked along a new leading batch dimension.
    func batch(_ indices: [Int]) -> Tensor
}

extension Dataset {
    public var labels: [Int]? { nil }
    /// Every sample as one batch (the training points the analyses start from).
    public func allSamples() -> Tensor { batch(Array(0..<count)) }
}
