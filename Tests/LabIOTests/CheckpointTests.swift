import Foundation
import Testing
import TestSupport
import LabCore
import LabModules
@testable import LabIO

@Suite struct CheckpointTests {
    func smallNetwork(seed: UInt64, width: Int = 4) -> (Network, RMSprop) {
        let glorot = VarianceScaling(scale: 1, mode: .fanAverage, distribution: .uniform)
        let network = Network(inputShape: [6], layers: [
            Dense(inputSize: 6, units: width, usesBias: true, kernelInitializer: glorot, biasInitializer: Constant(0)),
            ActivationLayer(typeName: "relu", activation: ReLU(), inputShape: [width]),
            Dense(inputSize: width, units: 6, usesBias: false, kernelInitializer: glorot, biasInitializer: Constant(0)),
        ], layerNames: ["dense_1", "relu_1", "dense_2"])
        var rng = RandomGenerator(seed: seed)
        network.initializeParameters(using: &rng)
        let optimizer = RMSprop()
        for parameter in network.parameters { parameter.gradient = Tensor(repeating: 0.5, shape: parameter.value.shape) }
        optimizer.step(network.parameters)
        return (network, optimizer)
    }

    func checkpoint(_ network: Network, _ optimizer: RMSprop) -> Checkpoint {
        Checkpoint(network: network, optimizer: optimizer, epoch: 12, loss: 0.125, trainingSeconds: 3.5,
                   seed: 99, rng: RandomGenerator(seed: 5), config: "name: test\n")
    }

    @Test func writeReadRestoreRoundTrip() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("last.h5")
        let (network, optimizer) = smallNetwork(seed: 1)
        try checkpoint(network, optimizer).write(to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["last.h5"])

        let read = try Checkpoint.read(from: path)
        #expect(read.epoch == 12 && read.loss == 0.125 && read.trainingSeconds == 3.5 && read.seed == 99)
        #expect(read.rngState == RandomGenerator(seed: 5).state)
        #expect(read.config == "name: test\n")
        #expect(read.optimizerState == optimizer.state)

        let (other, otherOptimizer) = smallNetwork(seed: 2)
        try read.restoreWeights(into: other, file: path)
        try read.restoreOptimizer(otherOptimizer, network: other, file: path)
        #expect(other.parameters.map(\.value) == network.parameters.map(\.value))
        #expect(otherOptimizer.state == optimizer.state)
    }

    @Test func mismatchedShapesAreRefusedWithoutChangingTheNetwork() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("last.h5")
        let (network, optimizer) = smallNetwork(seed: 1, width: 4)
        try checkpoint(network, optimizer).write(to: path)
        let (wider, _) = smallNetwork(seed: 3, width: 5)
        let before = wider.parameters.map(\.value)
        let error = #expect(throws: FileError.self) { try Checkpoint.read(from: path).restoreWeights(into: wider, file: path) }
        #expect(error?.description == "\(path): 'dense_1/kernel' has shape [6, 4] in the checkpoint but [6, 5] in the network")
        #expect(wider.parameters.map(\.value) == before)
    }

    @Test func aFailedWriteLeavesTheEarlierCheckpointIntact() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("last.h5")
        let (network, optimizer) = smallNetwork(seed: 1)
        try checkpoint(network, optimizer).write(to: path)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        // A directory where the temporary file should go makes the new write fail part way.
        let blocker = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        try FileManager.default.createDirectory(atPath: blocker, withIntermediateDirectories: false)
        #expect(throws: (any Error).self) { try checkpoint(network, optimizer).write(to: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == original)
    }

    /// The layout Keras and h5py users rely on, read by HDF5's own h5dump.
    @Test func layoutIsKerasLegacyAsSeenByH5dump() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("last.h5")
        let (network, optimizer) = smallNetwork(seed: 1)
        try checkpoint(network, optimizer).write(to: path)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/h5dump")
        process.arguments = ["-H", "-A", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        for expected in [
            "GROUP \"model_weights\"", "ATTRIBUTE \"layer_names\"", "GROUP \"dense_1\"", "ATTRIBUTE \"weight_names\"",
            "DATASET \"kernel\"", "DATASET \"bias\"", "H5T_IEEE_F32LE", "( 6, 4 )", "( 4, 6 )",
            "GROUP \"optimizer_weights\"", "GROUP \"rmsprop\"", "DATASET \"iterations\"", "DATASET \"rms\"",
            "ATTRIBUTE \"config\"", "ATTRIBUTE \"model_config\"", "ATTRIBUTE \"rng_state\"", "ATTRIBUTE \"epoch\"", "CSET H5T_CSET_UTF8",
        ] {
            #expect(output.contains(expected), "h5dump output lacks \(expected)")
        }
        // Values too: the layer list and a weight's name, as h5py would read them.
        let names = try HDF5File.openForReading(path)
        #expect(try names.stringsAttribute("layer_names", on: "/model_weights") == ["dense_1", "dense_2"])
        #expect(try names.stringsAttribute("weight_names", on: "/model_weights/dense_1") == ["dense_1/kernel", "dense_1/bias"])
        #expect(try names.readTensor(at: "/model_weights/dense_2/dense_2/kernel").shape == [4, 6])
    }
}
