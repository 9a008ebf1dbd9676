/// Everything an optimizer carries between steps: the step count and, per
/// parameter, one tensor per slot (`Optimizer.slotNames`). Checkpoints store
/// it so a resumed run continues exactly.
public struct OptimizerState: Sendable, Equatable {
    public var iterations: Int
    /// `slots[p][s]`: slot `s` of parameter `p`; empty before the first step.
    public var slots: [[Tensor]]

    public init(iterations: Int = 0, slots: [[Tensor]] = []) {
        self.iterations = iterations
        self.slots = slots
    }
}
