import Foundation
import LabCore
import LabIO

/// Trains an experiment in its run directory: writes `init.h5` with the
/// weights before the first step, resumes from `last.h5` when it exists,
/// appends to `metrics.csv`, writes `last.h5` every `checkpoint_every`
/// epochs and at the end (the last epoch, or the first whose loss is below
/// `stop.loss_below`), and `best.h5` with the weights after the epoch of
/// lowest mean training loss. `best.h5` holds weights, epoch and loss;
/// resuming always starts from `last.h5`, so a run that starts from
/// `training.initial_weights` loads them only on its first start.
public final class Trainer {
    public struct Outcome: Sendable {
        public var epochsRun: Int
        public var finalEpoch: Int
        public var finalLoss: Double
        public var bestLoss: Double
        public var trainingSeconds: Double
        public var resumedFromEpoch: Int?
        /// The loss on the `evaluation` data after the final epoch, when this call computed it.
        public var heldoutLoss: Double?
        /// Why training ended; nil when it stopped at `--stop-at-epoch` and goes on when run again.
        public var stop: TrainingStop?

        /// Training is over: the stop rule ended it, or it reached its last epoch.
        public var isComplete: Bool { stop != nil }
    }

    /// Where training picks up: before epoch 1, or where the last checkpoint left it.
    struct Start {
        var epoch = 0
        var seconds = 0.0
        var loss = Double.nan
        var bestLoss = Double.infinity
        var rng: RandomGenerator
        var resumedFrom: Int?
        var initialWeights: WeightsOrigin?
        var stop: TrainingStop?
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
        let start = try resume()
        let metrics = try MetricsLog(path: run.metricsPath, resumingAfter: start.epoch, fullLoss: settings.fullLossEvery > 0,
                                     heldoutLoss: experiment.evaluation != nil)
        let lastEpoch = min(settings.epochs, stopEpoch ?? settings.epochs)
        guard start.epoch < lastEpoch, start.stop == nil else {
            return Outcome(epochsRun: 0, finalEpoch: start.epoch, finalLoss: start.loss, bestLoss: start.bestLoss,
                           trainingSeconds: start.seconds, resumedFromEpoch: start.resumedFrom, stop: start.stop)
        }
        if let resumedFrom = start.resumedFrom { progress.message("resuming \(run.path) from epoch \(resumedFrom)") }
        return try train(from: start, through: lastEpoch, metrics: metrics)
    }

    /// The state of `last.h5` restored into the network and optimizer, or a
    /// fresh start without one (from `training.initial_weights` when given),
    /// its weights written to `init.h5` first.
    func resume() throws -> Start {
        guard run.hasCheckpoint else {
            var start = Start(rng: experiment.initialTrainingRNG)
            if let initialWeights = experiment.initialWeights {
                let (origin, message) = try initialWeights.load(into: experiment.network)
                progress.message(message)
                start.initialWeights = origin
            }
            try Checkpoint(network: experiment.network, optimizer: experiment.optimizer, epoch: 0, loss: start.loss,
                           trainingSeconds: 0, seed: experiment.seed, rng: start.rng, config: try experiment.resolvedYAML,
                           initialWeights: start.initialWeights)
                .write(to: run.initialCheckpointPath)
            return start
        }
        let path = run.lastCheckpointPath
        let checkpoint = try Checkpoint.read(from: path)
        try checkpoint.check(belongsTo: experiment, file: path)
        try checkpoint.restoreWeights(into: experiment.network, file: path)
        try checkpoint.restoreOptimizer(experiment.optimizer, network: experiment.network, file: path)
        return Start(epoch: checkpoint.epoch, seconds: checkpoint.trainingSeconds, loss: checkpoint.loss,
                     bestLoss: (try? Checkpoint.storedLoss(at: run.bestCheckpointPath)) ?? checkpoint.loss,
                     rng: try checkpoint.restoredRandomGenerator(file: path), resumedFrom: checkpoint.epoch,
                     initialWeights: checkpoint.initialWeights,
                     // A checkpoint at the last epoch from before the attribute existed ended there too.
                     stop: checkpoint.stop ?? (checkpoint.epoch == experiment.training.epochs ? .epochs : nil))
    }

    /// The epochs after `start` through `lastEpoch`, each logged, checkpointed when due, and reported.
    func train(from start: Start, through lastEpoch: Int, metrics: MetricsLog) throws -> Outcome {
        let settings = experiment.training
        let network = experiment.network
        let configYAML = try experiment.resolvedYAML
        let callerFlushes = DenormalMode.flushesToZero
        DenormalMode.setFlushesToZero(settings.flushDenormals)
        defer { DenormalMode.setFlushesToZero(callerFlushes) }
        let step = TrainingStep(network: network, loss: experiment.loss, optimizer: experiment.optimizer,
                                regularizers: experiment.regularizers)
        let fullLoss = DatasetLoss(loss: experiment.loss)
        var heldout: Double?
        let batchesPerEpoch = settings.batchesPerEpoch(sampleCount: experiment.dataset.count)
        let parameters = network.parameters
        var rng = start.rng
        var loss = start.loss
        var best = BestWeights(loss: start.bestLoss)
        var (finalEpoch, stop) = (start.epoch, TrainingStop?.none)
        let clock = ContinuousClock()
        let started = clock.now
        func elapsed() -> Double { (clock.now - started).inSeconds }

        for epoch in (start.epoch + 1)...lastEpoch {
            loss = try trainEpoch(epoch, step: step, rng: &rng)
            guard loss.isFinite else {
                try metrics.flush()
                let kept = run.hasCheckpoint ? "keeping the checkpoints of earlier epochs" : "before any checkpoint was written"
                throw RunError("\(run.path): the training loss became \(loss) in epoch \(epoch); stopped, \(kept) (lower the learning rate?)")
            }
            let seconds = start.seconds + elapsed()
            stop = settings.stopsTraining(atLoss: loss) ? .lossBelow : epoch == settings.epochs ? .epochs : nil
            let full = settings.recordsFullLoss(at: epoch) ? try fullLoss.evaluate(network, on: experiment.dataset) : nil
            heldout = try experiment.evaluation.flatMap { evaluation in
                evaluation.isDue(at: epoch, of: settings.epochs) || stop != nil
                    ? try fullLoss.evaluate(network, on: evaluation.dataset) : nil
            }
            metrics.append(epoch: epoch, loss: loss, seconds: seconds, fullLoss: full, heldoutLoss: heldout)
            best.consider(epoch: epoch, loss: loss, seconds: seconds, parameters: parameters)
            finalEpoch = epoch
            if epoch % settings.checkpointEvery == 0 || epoch == lastEpoch || stop != nil {
                try metrics.flush()
                try writeCheckpoints(epoch: epoch, loss: loss, seconds: seconds, rng: rng, best: &best, config: configYAML,
                                     initialWeights: start.initialWeights, stop: stop)
            }
            let done = Double(epoch - start.epoch)
            progress.update(epoch: epoch, loss: loss,
                            stepsPerSecond: done * Double(batchesPerEpoch) / max(elapsed(), 1e-9),
                            secondsLeft: elapsed() / done * Double(settings.epochs - epoch))
            if stop == .lossBelow { break }
        }
        return Outcome(epochsRun: finalEpoch - start.epoch, finalEpoch: finalEpoch, finalLoss: loss, bestLoss: best.loss,
                       trainingSeconds: start.seconds + elapsed(), resumedFromEpoch: start.resumedFrom,
                       heldoutLoss: heldout, stop: stop)
    }

    /// One pass over the data at the schedule's rate, in batches (shuffled when
    /// asked), corrupted inputs against clean targets; the mean loss per sample.
    func trainEpoch(_ epoch: Int, step: TrainingStep, rng: inout RandomGenerator) throws -> Double {
        let settings = experiment.training
        experiment.optimizer.learningRate = Float(experiment.schedule.rate(
            epoch: epoch, totalEpochs: settings.epochs, base: experiment.baseLearningRate))
        let sampleCount = experiment.dataset.count
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
        return lossSum / Double(sampleCount)
    }

    /// `last.h5` with everything resuming needs (and why training ended, if it
    /// did), and `best.h5` when a better epoch came since it was last written
    /// (its weights alone, no optimizer state).
    func writeCheckpoints(epoch: Int, loss: Double, seconds: Double, rng: RandomGenerator,
                          best: inout BestWeights, config: String, initialWeights: WeightsOrigin?,
                          stop: TrainingStop?) throws {
        try Checkpoint(network: experiment.network, optimizer: experiment.optimizer, epoch: epoch, loss: loss,
                       trainingSeconds: seconds, seed: experiment.seed, rng: rng, config: config,
                       initialWeights: initialWeights, stop: stop)
            .write(to: run.lastCheckpointPath)
        guard let bestEpoch = best.unwrittenEpoch else { return }
        try Checkpoint(network: experiment.network, optimizer: experiment.optimizer, epoch: bestEpoch, loss: best.loss,
                       trainingSeconds: best.seconds, seed: experiment.seed, rng: rng, config: config,
                       initialWeights: initialWeights, parameterValues: best.values, optimizerState: OptimizerState())
            .write(to: run.bestCheckpointPath)
        best.markWritten()
    }
}
