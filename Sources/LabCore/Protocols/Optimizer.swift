/// Updates parameters from their gradients.
///
/// An implementer guarantees: `step` changes each parameter's `value` from
/// its `gradient` (which it leaves as it is) and nothing else; all memory
/// between steps lives in `state`, one slot tensor per name in `slotNames`
/// per parameter, in the order of the parameter list it is given, so that
/// saving and restoring `state` resumes training bit for bit.
public protocol Optimizer: AnyObject {
    var typeName: String { get }
    /// The step size of the next `step`; a schedule sets it each epoch.
    var learningRate: Float { get set }
    /// Names of the per-parameter state tensors (`momentum`; `m`, `v`).
    var slotNames: [String] { get }
    var state: OptimizerState { get set }
    /// One update of every parameter from its `gradient`.
    func step(_ parameters: [Parameter])
}

extension Optimizer {
    /// Zero-filled slots for `parameters` on the first step.
    public func prepareSlots(for parameters: [Parameter]) {
        guard state.slots.count != parameters.count else { return }
        state.slots = parameters.map { parameter in slotNames.map { _ in Tensor(zeros: parameter.shape) } }
    }
}
