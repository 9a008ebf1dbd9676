import LabCore

/// The loss of a network's current weights over a whole dataset, clean
/// inputs as targets, without penalties: what Keras's `evaluate` reports,
/// as opposed to the mean of the batch losses seen while the weights moved.
/// Computed in chunks so a large dataset never becomes one huge batch.
struct DatasetLoss {
    let loss: any Loss
    var chunkSize = 1024

    func evaluate(_ network: Network, on dataset: any Dataset) throws -> Double {
        var total = 0.0
        for start in stride(from: 0, to: dataset.count, by: chunkSize) {
            let batch = dataset.batch(Array(start..<min(start + chunkSize, dataset.count)))
            total += try loss.evaluate(prediction: network(batch), target: batch).value * Double(batch.rows)
        }
        return total / Double(max(dataset.count, 1))
    }
}
