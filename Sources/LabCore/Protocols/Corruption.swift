/// Maps a clean batch to a corrupted one; training a denoising autoencoder
/// feeds the corrupted batch and targets the clean one.
///
/// An implementer guarantees: the result has the batch's shape; the clean
/// batch is not changed; all randomness comes from the generator passed in
/// (no other source), so a run and its resumption draw the same noise.
public protocol Corruption: Sendable {
    func corrupt(_ batch: Tensor, using rng: inout RandomGenerator) -> Tensor
}
