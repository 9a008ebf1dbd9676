import Foundation
import Testing
import TestSupport
import LabCore
@testable import LabModules
@testable import LabIO

/// The architecture checkpoints carry for `keras.models.load_model`
/// (scripts/test-keras loads such files in Keras and compares predictions).
@Suite struct KerasModelTests {
    typealias LayerEntry = (className: String, config: [String: ConfigValue])

    let glorot = VarianceScaling(scale: 1, mode: .fanAverage, distribution: .uniform)

    /// The Sequential's layers from the JSON text, each as its class name and config keys.
    func layers(of model: KerasModel?) throws -> [LayerEntry] {
        guard case .config(let json) = model else {
            Issue.record("expected a model config, got \(String(describing: model))")
            return []
        }
        let decoded = try JSONDecoder().decode(ConfigValue.self, from: Data(json.utf8))
        #expect(decoded.value(at: "class_name") == .string("Sequential"))
        #expect(decoded.value(at: "config.name") == .string("autoencoder"))
        guard case .list(let items)? = decoded.value(at: "config.layers") else { return [] }
        return items.map { item in
            guard case .map(let entries)? = item.value(at: "config") else { return (item.value(at: "class_name")?.stringValue ?? "", [:]) }
            return (item.value(at: "class_name")?.stringValue ?? "", Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value) }))
        }
    }

    func ints(_ values: Int...) -> ConfigValue { .list(values.map { .int($0) }) }

    func dense(_ inputSize: Int, _ units: Int, bias: Bool) -> Dense {
        Dense(inputSize: inputSize, units: units, usesBias: bias, kernelInitializer: glorot, biasInitializer: Constant(0))
    }

    func activation(_ name: String, _ activation: any Activation, width: Int) -> ActivationLayer {
        ActivationLayer(typeName: name, activation: activation, inputShape: [width])
    }

    @Test func denseLayersAndActivationsMapOneToOne() throws {
        let network = Network(inputShape: [6], layers: [
            dense(6, 4, bias: true), activation("relu", ReLU(), width: 4),
            dense(4, 4, bias: false), activation("sigmoid", Sigmoid(), width: 4),
            activation("tanh", Tanh(), width: 4), activation("softplus", Softplus(), width: 4),
            activation("identity", Identity(), width: 4), activation("leaky_relu", LeakyReLU(slope: 0.25), width: 4),
            PReLU(inputShape: [4], shared: false, initialSlope: 0.25), PReLU(inputShape: [4], shared: true, initialSlope: 0.25),
            dense(4, 6, bias: true),
        ], layerNames: ["dense_1", "relu_1", "dense_2", "sigmoid_1", "tanh_1", "softplus_1", "identity_1", "leaky_relu_1",
                        "prelu_1", "prelu_2", "dense_3"])
        let layers = try layers(of: KerasModel(network: network))
        let function = { (name: String, activation: String) -> LayerEntry in
            ("Activation", ["name": .string(name), "activation": .string(activation)])
        }
        let expected: [LayerEntry] = [
            ("InputLayer", ["name": .string("input"), "shape": ints(6), "dtype": .string("float32")]),
            ("Dense", ["name": .string("dense_1"), "units": .int(4), "activation": .string("linear"), "use_bias": .bool(true)]),
            function("relu_1", "relu"),
            ("Dense", ["name": .string("dense_2"), "units": .int(4), "activation": .string("linear"), "use_bias": .bool(false)]),
            function("sigmoid_1", "sigmoid"), function("tanh_1", "tanh"), function("softplus_1", "softplus"),
            function("identity_1", "linear"),
            ("LeakyReLU", ["name": .string("leaky_relu_1"), "negative_slope": .double(0.25)]),
            ("PReLU", ["name": .string("prelu_1")]),
            ("PReLU", ["name": .string("prelu_2"), "shared_axes": ints(1)]),
            ("Dense", ["name": .string("dense_3"), "units": .int(6), "activation": .string("linear"), "use_bias": .bool(true)]),
        ]
        #expect(layers.map(\.className) == expected.map(\.className))
        for (layer, want) in zip(layers, expected) { #expect(layer.config == want.config, "\(want.className)") }
    }

    @Test func convolutionsPoolingAndShapesKeepChannelsLast() throws {
        let conv = Conv2D(inputShape: [8, 8, 2], filters: 3, kernelHeight: 3, kernelWidth: 3, stride: 2, same: true, usesBias: false,
                          kernelInitializer: glorot, biasInitializer: Constant(0))
        let pool = MaxPool2D(inputShape: [4, 4, 3], size: 2)
        let up = Upsample2D(inputShape: [2, 2, 3], factor: 2)
        let transpose = ConvTranspose2D(inputShape: [4, 4, 3], filters: 2, kernelSize: 3, stride: 1, same: false, usesBias: true,
                                        kernelInitializer: glorot, biasInitializer: Constant(0))
        let network = Network(inputShape: [8, 8, 2], layers: [
            conv, pool, up, transpose,
            Reshape(typeName: "flatten", inputShape: [6, 6, 2], outputShape: [72]),
            Reshape(typeName: "reshape", inputShape: [72], outputShape: [6, 6, 2]),
        ], layerNames: ["conv2d_1", "maxpool2d_1", "upsample2d_1", "conv_transpose2d_1", "flatten_1", "reshape_1"])
        let channelsLast = ConfigValue.string("channels_last")
        let expected: [LayerEntry] = [
            ("InputLayer", ["name": .string("input"), "shape": ints(8, 8, 2), "dtype": .string("float32")]),
            ("Conv2D", ["name": .string("conv2d_1"), "filters": .int(3), "kernel_size": ints(3, 3), "strides": ints(2, 2),
                        "padding": .string("same"), "data_format": channelsLast, "activation": .string("linear"), "use_bias": .bool(false)]),
            ("MaxPooling2D", ["name": .string("maxpool2d_1"), "pool_size": ints(2, 2), "strides": ints(2, 2),
                              "padding": .string("valid"), "data_format": channelsLast]),
            ("UpSampling2D", ["name": .string("upsample2d_1"), "size": ints(2, 2), "data_format": channelsLast,
                              "interpolation": .string("nearest")]),
            ("Conv2DTranspose", ["name": .string("conv_transpose2d_1"), "filters": .int(2), "kernel_size": ints(3, 3),
                                 "strides": ints(1, 1), "padding": .string("valid"), "data_format": channelsLast,
                                 "activation": .string("linear"), "use_bias": .bool(true)]),
            ("Flatten", ["name": .string("flatten_1"), "data_format": channelsLast]),
            ("Reshape", ["name": .string("reshape_1"), "target_shape": ints(6, 6, 2)]),
        ]
        let layers = try layers(of: KerasModel(network: network))
        #expect(layers.map(\.className) == expected.map(\.className))
        for (layer, want) in zip(layers, expected) { #expect(layer.config == want.config, "\(want.className)") }
    }

    /// Keras shapes PReLU's alpha like one sample; ours is flat, so image
    /// samples are flattened around it by weightless layers.
    @Test func preluOnImagesIsWrappedInReshapes() throws {
        let network = Network(inputShape: [2, 2, 3], layers: [PReLU(inputShape: [2, 2, 3], shared: false, initialSlope: 0.25)],
                              layerNames: ["prelu_1"])
        let layers = try layers(of: KerasModel(network: network))
        #expect(layers.map(\.className) == ["InputLayer", "Reshape", "PReLU", "Reshape"])
        #expect(layers.dropFirst().map { $0.config["name"] } == [.string("prelu_1_flat"), .string("prelu_1"), .string("prelu_1_shaped")])
        #expect(layers[1].config["target_shape"] == ints(12))
        #expect(layers[3].config["target_shape"] == ints(2, 2, 3))
    }

    @Test func anNTKDenseLayerHasNoModelConfigAndIsNamedSo() {
        let ntk = Dense(inputSize: 4, units: 4, usesBias: true, parameterization: .ntk(inputSize: 4, weightScale: 1, biasScale: 1),
                        kernelInitializer: RandomNormal(), biasInitializer: RandomNormal())
        let network = Network(inputShape: [4], layers: [dense(4, 4, bias: true), ntk], layerNames: ["dense_1", "dense_2"])
        #expect(KerasModel(network: network) == .unavailable("Keras has no layer for dense_2 (dense in the ntk parameterisation): keras.models.load_model cannot open this file; build the model in Keras and call model.load_weights"))
    }

    @Test func layersKerasLacksMeanNoModelConfigAndSaySo() throws {
        let network = Network(inputShape: [4], layers: [
            dense(4, 3, bias: true), ActivationLayer(typeName: "erf", activation: Erf(), inputShape: [3]),
            Normalize(inputShape: [3]), dense(3, 4, bias: true),
        ], layerNames: ["dense_1", "erf_1", "normalize_1", "dense_2"])
        let model = KerasModel(network: network)
        #expect(model == .unavailable("Keras has no layer for erf_1 (erf), normalize_1 (normalize): keras.models.load_model cannot open this file; build the model in Keras and call model.load_weights"))

        let folder = TemporaryDirectory()
        let path = folder.file("last.h5")
        var rng = RandomGenerator(seed: 1)
        network.initializeParameters(using: &rng)
        try Checkpoint(network: network, optimizer: RMSprop(), epoch: 1, loss: 1, trainingSeconds: 1, seed: 1,
                       rng: RandomGenerator(seed: 2), config: "name: test\n").write(to: path)
        let file = try HDF5File.openForReading(path)
        #expect(throws: (any Error).self) { try file.stringAttribute("model_config") }
        #expect(try KerasModel.unavailable(file.stringAttribute("model_config_unavailable")) == model)
        #expect(try Checkpoint.read(from: path).kerasModel == model)
    }

    @Test func checkpointStoresTheModelConfigAsKerasReadsIt() throws {
        let network = Network(inputShape: [3], layers: [dense(3, 2, bias: true), activation("relu", ReLU(), width: 2), dense(2, 3, bias: false)],
                              layerNames: ["dense_1", "relu_1", "dense_2"])
        var rng = RandomGenerator(seed: 1)
        network.initializeParameters(using: &rng)
        let folder = TemporaryDirectory()
        let path = folder.file("best.h5")
        try Checkpoint(network: network, optimizer: RMSprop(), epoch: 1, loss: 1, trainingSeconds: 1, seed: 1,
                       rng: RandomGenerator(seed: 2), config: "name: test\n").write(to: path)
        let stored = try HDF5File.openForReading(path).stringAttribute("model_config")
        #expect(KerasModel.config(stored) == KerasModel(network: network))
        #expect(try layers(of: .config(stored)).map { $0.config["name"] } == [.string("input"), .string("dense_1"), .string("relu_1"), .string("dense_2")])
        #expect(try Checkpoint.read(from: path).kerasModel == .config(stored))
    }
}
