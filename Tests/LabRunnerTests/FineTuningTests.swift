import Foundation
import Testing
import TestSupport
import LabCore
import LabIO
import LabModules
@testable import LabRunner

/// `training.initial_weights` and `trainable: false`: starting from another
/// run's weights, layers mapped by name, frozen layers left as they are.
@Suite(.serialized) struct FineTuningTests {
    static let source = """
        name: source
        seed: 2
        data: {type: random, count: 8, shape: [12], seed: 9}
        model:
          layers:
            - {type: dense, units: 6, name: encoder}
            - tanh
            - {type: dense, units: 12, name: decoder}
        training:
          optimizer: {type: adam, learning_rate: 0.01}
          epochs: 5
          batch_size: 4
        """

    let silent = ProgressReporter(totalEpochs: 1, isTerminal: false, write: { _ in })
    let folder = TemporaryDirectory()

    /// Trains `yaml` (written as `file` in the folder) in the run directory `run`.
    @discardableResult
    func train(_ yaml: String, file: String, run: String, stopAt: Int? = nil,
               progress: ProgressReporter? = nil) throws -> (Experiment, Trainer.Outcome) {
        let path = folder.file(file)
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let pipeline = ExperimentPipeline(registry: BuiltinModules.registry)
        let (experiment, directory) = try pipeline.prepare(path, runDirectory: folder.file(run))
        return (experiment, try pipeline.train(experiment, in: directory, progress: progress ?? silent, stopAtEpoch: stopAt))
    }

    func weights(_ run: String) throws -> [String: [Tensor]] {
        let checkpoint = try Checkpoint.read(from: RunDirectory(path: folder.file(run)).lastCheckpointPath)
        return Dictionary(uniqueKeysWithValues: checkpoint.layers.map { ($0.name, $0.parameters.map(\.value)) })
    }

    /// The source config with other layers and training lines.
    func fineTune(layers: String, epochs: Int = 3, extra: String = "") -> String {
        """
        name: tuned
        seed: 7
        data: {type: random, count: 8, shape: [12], seed: 11}
        model:
          layers:
        \(layers)
        training:
          optimizer: {type: adam, learning_rate: 0.01}
          epochs: \(epochs)
          batch_size: 4
          initial_weights: source-run
        \(extra)
        """
    }

    static let sameLayers = """
            - {type: dense, units: 6, name: encoder}
            - tanh
            - {type: dense, units: 12, name: decoder}
        """

    @Test func startingFromACheckpointWithoutTrainingHoldsItsWeightsExactly() throws {
        try train(Self.source, file: "source.yaml", run: "source-run")
        var lines: [String] = []
        let progress = ProgressReporter(totalEpochs: 3, isTerminal: false, write: { lines.append($0) })
        let (experiment, outcome) = try train(fineTune(layers: Self.sameLayers), file: "tuned.yaml", run: "tuned-run", stopAt: 0, progress: progress)
        #expect(outcome.epochsRun == 0)
        let source = try weights("source-run")
        #expect(experiment.network.layers[0].parameters.map(\.value) == source["encoder"])
        #expect(experiment.network.layers[2].parameters.map(\.value) == source["decoder"])
        let sourceFile = RunDirectory(path: folder.file("source-run")).lastCheckpointPath
        #expect(lines.joined().contains("initial weights from \(sourceFile) (experiment source, epoch 5): loaded encoder, decoder"))
        // The resolved config records the folder, absolute.
        #expect(try experiment.resolvedYAML.contains("initial_weights: \(folder.path)/source-run\n"))
    }

    @Test func frozenLayersKeepTheirWeightsBitForBitWhileOthersTrain() throws {
        try train(Self.source, file: "source.yaml", run: "source-run")
        let frozenEncoder = """
                - {type: dense, units: 6, name: encoder, trainable: false}
                - tanh
                - {type: dense, units: 12, name: decoder}
            """
        let (experiment, _) = try train(fineTune(layers: frozenEncoder), file: "tuned.yaml", run: "tuned-run")
        let source = try weights("source-run"), tuned = try weights("tuned-run")
        #expect(tuned["encoder"] == source["encoder"])
        #expect(tuned["decoder"]![0] != source["decoder"]![0] && tuned["decoder"]![1] != source["decoder"]![1])
        // The optimizer holds moments for the decoder alone, and the checkpoint says so.
        #expect(experiment.optimizer.state.slots.count == 2)
        let checkpoint = try Checkpoint.read(from: RunDirectory(path: folder.file("tuned-run")).lastCheckpointPath)
        #expect(checkpoint.optimizerSlotOwners == ["decoder/kernel", "decoder/bias"])
        #expect(checkpoint.optimizerState.slots.count == 2)
        let sourceFile = RunDirectory(path: folder.file("source-run")).lastCheckpointPath
        #expect(checkpoint.initialWeights == WeightsOrigin(file: sourceFile, experiment: "source", epoch: 5, loadedLayers: ["encoder", "decoder"]))
        #expect(try experiment.resolvedYAML.contains("trainable: false"))
    }

    /// A frozen layer's checkpoints resume exactly; the resumed run reads its own
    /// last.h5 (and its record of the source), not the source again, which is gone.
    @Test func resumingAFineTuningRunStartsFromItsOwnCheckpoint() throws {
        try train(Self.source, file: "source.yaml", run: "source-run")
        let frozen = Self.sameLayers.replacingOccurrences(of: "name: decoder}", with: "name: decoder, trainable: false}")
        let config = fineTune(layers: frozen, epochs: 4)
        try train(config, file: "tuned.yaml", run: "whole")
        try train(config, file: "tuned.yaml", run: "resumed", stopAt: 2)
        let origin = try Checkpoint.read(from: RunDirectory(path: folder.file("resumed")).lastCheckpointPath).initialWeights
        try FileManager.default.removeItem(atPath: folder.file("source-run"))
        let (_, outcome) = try train(config, file: "tuned.yaml", run: "resumed")
        #expect(outcome.resumedFromEpoch == 2)
        #expect(try weights("resumed") == weights("whole"))
        let resumed = try Checkpoint.read(from: RunDirectory(path: folder.file("resumed")).lastCheckpointPath)
        #expect(resumed.initialWeights == origin && origin != nil)
    }

    /// Layer-wise pretraining: a deeper net takes the shallow one's encoder and
    /// decoder by name; its new middle layers start fresh.
    @Test func aDeeperNetTakesTheLayersOfTheSameNameAndInitialisesTheRest() throws {
        try train(Self.source, file: "source.yaml", run: "source-run")
        let deeper = """
                - {type: dense, units: 6, name: encoder, trainable: false}
                - tanh
                - {type: dense, units: 3}
                - tanh
                - {type: dense, units: 6}
                - tanh
                - {type: dense, units: 12, name: decoder}
            """
        var lines: [String] = []
        let progress = ProgressReporter(totalEpochs: 3, isTerminal: false, write: { lines.append($0) })
        let (experiment, _) = try train(fineTune(layers: deeper), file: "tuned.yaml", run: "tuned-run", progress: progress)
        #expect(experiment.network.layerNames == ["encoder", "tanh_1", "dense_2", "tanh_2", "dense_3", "tanh_3", "decoder"])
        #expect(lines.joined().contains(": loaded encoder, decoder; freshly initialised: dense_2, dense_3"))
        #expect(try weights("tuned-run")["encoder"] == weights("source-run")["encoder"])
    }

    @Test func aLayerOfTheSameNameAndAnotherShapeIsAnErrorNamingBothShapes() throws {
        try train(Self.source, file: "source.yaml", run: "source-run")
        let wider = Self.sameLayers.replacingOccurrences(of: "units: 6", with: "units: 4")
        let error = #expect(throws: FileError.self) { try train(fineTune(layers: wider), file: "tuned.yaml", run: "tuned-run") }
        let sourceFile = RunDirectory(path: folder.file("source-run")).lastCheckpointPath
        #expect(error?.description == "\(sourceFile): layer 'encoder': kernel has shape [12, 6] there but [12, 4] in this network; layers map by name, so give a layer that should not take these weights another `name:`")
        #expect(!RunDirectory(path: folder.file("tuned-run")).hasCheckpoint)
    }

    @Test func aMissingSourceComposesAndIsAnErrorWhenTrainingStarts() throws {
        let path = folder.file("tuned.yaml")
        try fineTune(layers: Self.sameLayers).write(toFile: path, atomically: true, encoding: .utf8)
        _ = try ExperimentBuilder(registry: BuiltinModules.registry).experiment(configFile: path)
        let error = #expect(throws: ConfigError.self) { try train(fineTune(layers: Self.sameLayers), file: "tuned.yaml", run: "tuned-run") }
        #expect(error?.description == "\(path):13:20: error: training.initial_weights: no checkpoint at \(folder.path)/source-run (train that run first) (allowed: a run directory holding last.h5, or a checkpoint file)")
    }

    @Test func aCheckpointSharingNoLayerNameIsRefused() throws {
        try train(Self.source, file: "source.yaml", run: "source-run")
        let unnamed = Self.sameLayers.replacingOccurrences(of: ", name: encoder", with: "").replacingOccurrences(of: ", name: decoder", with: "")
        let error = #expect(throws: FileError.self) { try train(fineTune(layers: unnamed), file: "tuned.yaml", run: "tuned-run") }
        #expect(error?.description.contains("holds none of the network's layers (dense_1, dense_2), only encoder, decoder") == true)
    }
}
