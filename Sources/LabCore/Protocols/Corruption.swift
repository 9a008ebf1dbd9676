/// Maps a clean batch to a corrupted one; training a denoising autoencoder
/// feeds the corrupted batch and targets the clean one. All randomness comes
/// from the generator passed in, so a run replays exactly.
public protocol Corruption: Sendable {
    func corrupt(_ batch: Tensor, using rng: inout RandomGenerator) -> Tensor
}
