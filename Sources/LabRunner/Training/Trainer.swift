import Foundation
import LabCore
import LabIO

/// Trains an experiment in its run directory: resumes from `last.h5` when it
/// exists, appends to `metrics.csv`, writes `last.h5` every
/// `checkpoint_every` epochs and at the end, and `best.h5` with the weights
/// after the epoch of lowest mean training loss (as Keras's ModelCheckpoint
/// with save_best_only judges it). `best.h5` holds weights, epoch and loss;
/// resuming always starts from `last.h5`.
public final class Trainer {
    public struct Outcome: Sendable {
        public var epochsRun: Int
        public var finalEpoch: Int
        public var finalLoss: Double
        public var bestLoss: Double
        public var trainingSeconds: Double
        public var resumedFromEpoch: Int?
    }

    let experiment: Experiment
    let run: RunDirectory
    let progress: ProgressReporter
    /// Stop after this epoch (with a checkpoint) even if the config asks for
    /// more: for batch jobs with a time limit; the next run resumes.
    let stopEpoch: Int?

    public init(experiment: Experiment, run: RunDirectory, progress: ProgressReporter, stopAtEpoch: Int? = nil) {
        self.experiment = experiment
        self.run = run
        self.progress = progress
        stopEpoch = stopAtEpoch
    }

    public func train() throws -> Outcome {
        let settings = experiment.training
        let network = experiment.network
        let configYAML = try experiment.resolvedYAML
        var rng = experiment.initialTrainingRNG
        var startEpoch = 0
        var secondsBefore = 0.0
        var lastLoss = Double.nan
        var bestLoss = Double.infinity
        var resumedFrom: Int?

        if run.hasCheckpoint {
            let checkpoint = try Checkpoint.read(from: run.lastCheckpointPath)
            try checkpoint.restoreWeights(into: network, file: run.lastCheckpointPath)
            try checkpoint.restoreOptimizer(experiment.optimizer, parameters: network.parameters, file: run.lastCheckpointPath)
            rng = try checkpoint.restoredRandomGenerator(file: run.lastCheckpointPath)
            startEpoch = checkpoint.epoch
            secondsBefore = checkpoint.trainingSeconds
            lastLoss = checkpoint.loss
            bestLoss = (try? Checkpoint.storedLoss(at: run.bestCheckpointPath)) ?? checkpoint.loss
            resumedFrom = startEpoch
        }
        let metrics = try MetricsLog(path: run.metricsPath, resumingAfter: startEpoch, fullLoss: settings.fullLossEvery > 0)
        let fullLoss = DatasetLoss(loss: experiment.loss)
        let lastEpoch = min(settings.epochs, stopEpoch ?? settings.epochs)
        guard startEpoch < lastEpoch else {
            return Outcome(epochsRun: 0, finalEpoch: startEpoch, finalLoss: lastLoss, bestLoss: bestLoss,
                           trainingSeconds: secondsBefore, resumedFromEpoch: resumedFrom)
        }
        if let resumedFrom { progress.message("resuming \(run.path) from epoch \(resumedFrom)") }

        let step = TrainingStep(network: network, loss: experiment.loss, optimizer: experiment.optimizer,
                                regularizers: experiment.regularizers)
        let sampleCount = experiment.dataset.count
        let batchesPerEpoch = settings.batchesPerEpoch(sampleCount: sampleCount)
        let clock = ContinuousClock()
        let started = clock.now
        func elapsed() -> Double { (clock.now - started).inSeconds }
        // The best epoch's weights, copied into buffers allocated once: holding
        // the live tensors instead would make the next update copy them all.
        let parameters = network.parameters
        var bestWeights: [Tensor] = []
        var bestEpoch: Int?
        var bestSeconds = 0.0

        for epoch in (startEpoch + 1)...lastEpoch {
            experiment.optimizer.learningRate = Float(experiment.schedule.rate(
                epoch: epoch, totalEpochs: settings.epochs, base: experiment.baseLearningRate))
            let order = settings.shuffle ? rng.permutation(sampleCount) : Array(0..<sampleCount)
            var lossSum = 0.0
            for start in stride(from: 0, to: sampleCount, by: settings.batchSize) {
                let indices = Array(order[start..<min(start + settings.batchSize, sampleCount)])
                let clean = experiment.dataset.batch(indices)
                let input = experiment.corruption?.corrupt(clean, using: &rng) ?? clean
                do {
                    lossSum += try step(input: input, target: clean) * Double(indices.count)
                } catch {
                    throw RunError("\(experiment.source): training, epoch \(epoch): \(error)")
                }
            }
            lastLoss = lossSum / Double(sampleCount)
            guard lastLoss.isFinite else {
                try metrics.flush()
                throw RunError("\(run.path): the training loss became \(lastLoss) in epoch \(epoch); stopped, keeping the checkpoints of earlier epochs (lower the learning rate?)")
            }
            let seconds = secondsBefore + elapsed()
            let full = settings.recordsFullLoss(at: epoch) ? try fullLoss.evaluate(network, on: experiment.dataset) : nil
            metrics.append(epoch: epoch, loss: lastLoss, seconds: seconds, fullLoss: full)
            if lastLoss < bestLoss {
                bestLoss = lastLoss
                bestEpoch = epoch
                bestSeconds = seconds
                Self.copyValues(of: parameters, into: &bestWeights)
            }
            if epoch % settings.checkpointEvery == 0 || epoch == lastEpoch {
                try metrics.flush()
                try Checkpoint(network: network, optimizer: experiment.optimizer, epoch: epoch, loss: lastLoss,
                               trainingSeconds: seconds, seed: experiment.seed, rng: rng, config: configYAML)
                    .write(to: run.lastCheckpointPath)
                if let epochOfBest = bestEpoch {
                    try Checkpoint(network: network, optimizer: experiment.optimizer, epoch: epochOfBest, loss: bestLoss,
                                   trainingSeconds: bestSeconds, seed: experiment.seed, rng: rng, config: configYAML,
                                   parameterValues: bestWeights, optimizerState: OptimizerState())
                        .write(to: run.bestCheckpointPath)
                    bestEpoch = nil
                }
            }
            let done = Double(epoch - startEpoch)
            progress.update(epoch: epoch, loss: lastLoss,
                            stepsPerSecond: done * Double(batchesPerEpoch) / max(elapsed(), 1e-9),
                            secondsLeft: elapsed() / done * Double(settings.epochs - epoch))
        }
        return Outcome(epochsRun: lastEpoch - startEpoch, finalEpoch: lastEpoch, finalLoss: lastLoss,
                       bestLoss: bestLoss, trainingSeconds: secondsBefore + elapsed(), resumedFromEpoch: resumedFrom)
    }

    /// Copies each parameter's values into `buffers`, allocating them on first use only.
    static func copyValues(of parameters: [Parameter], into buffers: inout [Tensor]) {
        if buffers.count != parameters.count { buffers = parameters.map { Tensor(zeros: $0.value.shape) } }
        for index in parameters.indices {
            parameters[index].value.withUnsafeBufferPointer { source in
                buffers[index].withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: source) }
            }
        }
    }
}
