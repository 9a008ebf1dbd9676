/// The learning rate for each epoch, from the optimizer's configured rate.
///
/// An implementer guarantees: `rate` depends only on its arguments (no
/// state), so a resumed run uses the same rates as an uninterrupted one.
/// Epochs count from 1.
public protocol LearningRateSchedule: Sendable {
    func rate(epoch: Int, totalEpochs: Int, base: Double) -> Double
}
