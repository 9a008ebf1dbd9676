import LabCore

/// The weights after the epoch of lowest mean training loss so far (as
/// Keras's ModelCheckpoint with save_best_only judges it), copied into
/// buffers allocated once: holding the live tensors instead would make the
/// next update copy them all.
struct BestWeights {
    private(set) var loss: Double
    /// The best epoch when `best.h5` does not hold it yet.
    private(set) var unwrittenEpoch: Int?
    private(set) var seconds = 0.0
    private(set) var values: [Tensor] = []

    /// Starts from the loss to beat: a resumed run's best so far, else infinity.
    init(loss: Double) {
        self.loss = loss
    }

    /// Keeps the parameters' values when `loss` beats the best so far.
    mutating func consider(epoch: Int, loss: Double, seconds: Double, parameters: [Parameter]) {
        guard loss < self.loss else { return }
        self.loss = loss
        unwrittenEpoch = epoch
        self.seconds = seconds
        if values.count != parameters.count { values = parameters.map { Tensor(zeros: $0.value.shape) } }
        for index in parameters.indices {
            parameters[index].value.withUnsafeBufferPointer { source in
                values[index].withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: source) }
            }
        }
    }

    mutating func markWritten() { unwrittenEpoch = nil }
}
