import Foundation
import LabCore

/// The network as Keras's legacy `.h5` saving writes it in the root attribute
/// `model_config` (a Sequential of an InputLayer and each layer's Keras
/// counterparts, named like the weight groups), so `keras.models.load_model`
/// opens a checkpoint; or, when a layer has no counterpart, why there is none.
public enum KerasModel: Equatable, Sendable {
    /// The `model_config` JSON text.
    case config(String)
    /// The sentence stored instead, naming the layers Keras lacks.
    case unavailable(String)

    static let configAttribute = "model_config"
    static let unavailableAttribute = "model_config_unavailable"

    public init(network: Network) {
        var layers: [ConfigValue] = [Self.inputLayer(shape: network.inputShape)]
        var missing: [String] = []
        for (name, layer) in zip(network.layerNames, network.layers) {
            let counterpart = layer as? any KerasCounterpart
            if let counterparts = counterpart?.kerasLayers(named: name) {
                layers += counterparts.map(\.value)
            } else {
                missing.append("\(name) (\(counterpart?.kerasAbsenceNote ?? layer.typeName))")
            }
        }
        guard missing.isEmpty else {
            self = .unavailable("Keras has no layer for \(missing.joined(separator: ", ")): keras.models.load_model cannot open this file; build the model in Keras and call model.load_weights")
            return
        }
        let model = ConfigValue.map([
            ConfigValue.Entry("class_name", .string("Sequential")),
            ConfigValue.Entry("config", .map([
                ConfigValue.Entry("name", .string("autoencoder")),
                ConfigValue.Entry("layers", .list(layers)),
            ])),
        ])
        // ConfigValue has a JSON form for every value (non-finite numbers as null): encoding cannot fail.
        self = .config(String(decoding: try! Self.encoder.encode(model), as: UTF8.self))
    }

    /// Keras's own config writes `batch_shape: [null, ...]`; the per-sample
    /// `shape` means the same and needs no null.
    private static func inputLayer(shape: [Int]) -> ConfigValue {
        KerasLayerConfig("InputLayer", name: "input", [
            ConfigValue.Entry("shape", .list(shape.map { .int($0) })),
            ConfigValue.Entry("dtype", .string("float32")),
        ]).value
    }

    /// Sorted keys: the same network always gives the same text.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
