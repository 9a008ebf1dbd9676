import Foundation
import Testing
import LabCore
import LabModules
@testable import LabRunner

@Suite struct RegularizationTests {
    static func yaml(regularizers: String) -> String {
        """
        name: sparse
        seed: 3
        data: {type: random, count: 16, shape: [20]}
        model:
          layers:
            - {type: dense, units: 12}
            - sigmoid
            - {type: dense, units: 20}
        training:
          optimizer: {type: adam, learning_rate: 0.01}
          epochs: 300
          batch_size: 16
          regularizers: \(regularizers)
        """
    }

    func meanHiddenActivation(_ regularizers: String) throws -> Double {
        let experiment = try Experiment(config: try YAMLConfigLoader.parse(Self.yaml(regularizers: regularizers), file: "exp.yaml"),
                                        registry: BuiltinModules.registry, baseDirectory: ".", source: "exp.yaml")
        let step = TrainingStep(network: experiment.network, loss: experiment.loss, optimizer: experiment.optimizer,
                                regularizers: experiment.regularizers)
        let batch = experiment.dataset.allSamples()
        for _ in 0..<experiment.training.epochs { try step(input: batch, target: batch) }
        let hidden = experiment.network.forward(batch, keepingOutputsOf: [1]).kept[1]!
        return hidden.scalars.reduce(0.0) { $0 + Double($1) } / Double(hidden.count)
    }

    @Test func klSparsityPullsTheMeanActivationTowardsRho() throws {
        let plain = try meanHiddenActivation("[]")
        let sparse = try meanHiddenActivation("[{type: kl_sparsity, layer: sigmoid_1, rho: 0.05, beta: 3}]")
        #expect(sparse < plain - 0.1, "plain \(plain), sparse \(sparse)")
        #expect(sparse < 0.15)
    }

    @Test func anUnknownLayerNameListsTheNetworksLayers() {
        let yaml = Self.yaml(regularizers: "[{type: l1_activity, layer: relu_1, weight: 0.01}]")
        do {
            _ = try Experiment(config: try YAMLConfigLoader.parse(yaml, file: "exp.yaml"), registry: BuiltinModules.registry,
                               baseDirectory: ".", source: "exp.yaml")
            Issue.record("no error")
        } catch {
            #expect(String(describing: error).contains("training.regularizers[0]: no layer named 'relu_1'"), "\(error)")
            #expect(String(describing: error).contains("(allowed: dense_1, sigmoid_1, dense_2)"))
        }
    }
}
