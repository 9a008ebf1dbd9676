import Foundation
import LabCore

/// The HDF5 encoding, in Keras's legacy `.h5` weights layout so h5py and
/// `keras.Model.load_weights` read it without our code:
///
///     /                       attrs: format, format_version, keras_version, backend,
///                                    model_config (Keras JSON) or model_config_unavailable,
///                                    config (YAML), seed, epoch, loss,
///                                    training_seconds, rng_state (uint64[4]),
///                                    initial_weights* (fine-tuning runs: WeightsOrigin),
///                                    stop (when training ended here: loss_below or epochs)
///     /model_weights          attr layer_names
///     /model_weights/L        attr weight_names ("L/kernel", "L/bias")
///     /model_weights/L/L/kernel   float32 (in, out)
///     /optimizer_weights      attrs optimizer, slot_names, weight_names
///     /optimizer_weights/OPT/iterations          int64
///     /optimizer_weights/OPT/L/param/slot        float32
extension Checkpoint {
    static let formatName = "aelab-checkpoint"
    static let formatVersion: Int64 = 1

    /// Writes to a temporary file beside `path`, then renames it over `path`,
    /// so a crash never leaves a half-written checkpoint.
    public func write(to path: String) throws {
        try HDF5File.writeAtomically(path) { try encode(into: $0) }
    }

    /// The loss a checkpoint was saved at, read without loading its tensors.
    public static func storedLoss(at path: String) throws -> Double {
        try HDF5File.openForReading(path).doubleAttribute("loss")
    }

    public static func read(from path: String) throws -> Checkpoint {
        let file = try HDF5File.openForReading(path)
        guard (try? file.stringAttribute("format")) == formatName else {
            throw FileError(file: path, message: "is not an aelab checkpoint (root attribute format != '\(formatName)')")
        }
        let version = try file.int64Attribute("format_version")
        guard version == formatVersion else {
            throw FileError(file: path, message: "has format_version \(version); this aelab reads version \(formatVersion)")
        }
        let layerNames = try file.stringsAttribute("layer_names", on: "/model_weights")
        let layers = try layerNames.map { layer in
            let weightNames = try file.stringsAttribute("weight_names", on: "/model_weights/\(layer)")
            return LayerWeights(name: layer, parameters: try weightNames.map { weightName in
                let parameter = String(weightName.split(separator: "/").last ?? Substring(weightName))
                return (parameter, try file.readTensor(at: "/model_weights/\(layer)/\(weightName)"))
            })
        }
        let optimizerType = try file.stringAttribute("optimizer", on: "/optimizer_weights")
        let slotNames = try file.stringsAttribute("slot_names", on: "/optimizer_weights")
        let base = "/optimizer_weights/\(optimizerType)"
        var state = OptimizerState(iterations: Int(try file.readInt64(at: "\(base)/iterations")))
        // Slots exist for the parameters the optimizer stepped: the trainable layers', once training began.
        var owners: [String] = []
        if let firstSlot = slotNames.first {
            owners = layers.flatMap { layer in layer.parameters.map { "\(layer.name)/\($0.name)" } }
                .filter { file.exists("\(base)/\($0)/\(firstSlot)") }
            state.slots = try owners.map { owner in
                try slotNames.map { try file.readTensor(at: "\(base)/\(owner)/\($0)") }
            }
        }
        return Checkpoint(
            layers: layers, optimizerType: optimizerType, optimizerSlotNames: slotNames, optimizerState: state,
            optimizerSlotOwners: owners,
            epoch: try integerAttribute("epoch", in: file), loss: try file.doubleAttribute("loss"),
            trainingSeconds: try file.doubleAttribute("training_seconds"),
            seed: UInt64(bitPattern: try file.int64Attribute("seed")),
            rngState: try file.uint64sAttribute("rng_state"), config: try file.stringAttribute("config"),
            kerasModel: storedKerasModel(in: file), initialWeights: try readOrigin(from: file),
            stop: try stopAttribute(in: file))
    }

    private static func storedKerasModel(in file: HDF5File) -> KerasModel? {
        if let json = try? file.stringAttribute(KerasModel.configAttribute) { return .config(json) }
        return (try? file.stringAttribute(KerasModel.unavailableAttribute)).map { .unavailable($0) }
    }

    /// The `initial_weights*` attributes, when the checkpoint has them.
    private static func readOrigin(from file: HDF5File) throws -> WeightsOrigin? {
        guard let path = try? file.stringAttribute("initial_weights") else { return nil }
        return WeightsOrigin(file: path, experiment: try file.stringAttribute("initial_weights_experiment"),
                             epoch: Int(try file.int64Attribute("initial_weights_epoch")),
                             loadedLayers: try file.stringsAttribute("initial_weights_layers"))
    }

    /// The `stop` attribute, if present; a value other than the known reasons is refused.
    private static func stopAttribute(in file: HDF5File) throws -> TrainingStop? {
        guard file.hasAttribute("stop") else { return nil }
        let text = try file.stringAttribute("stop")
        guard let stop = TrainingStop(rawValue: text) else {
            throw FileError(file: file.path, message: "attribute 'stop' is '\(text)' (allowed: \(TrainingStop.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return stop
    }

    /// An attribute that must be a whole number: one stored as a float (`100.5`) is refused, not truncated.
    private static func integerAttribute(_ name: String, in file: HDF5File) throws -> Int {
        guard try file.attributeHoldsIntegers(name) else {
            throw FileError(file: file.path, message: "attribute '\(name)' is \(try file.doubleAttribute(name)), not an integer (allowed: an integer)")
        }
        return Int(try file.int64Attribute(name))
    }

    private func encode(into file: HDF5File) throws {
        try file.setAttribute("format", Self.formatName)
        try file.setAttribute("format_version", Self.formatVersion)
        // Name the writer, as Keras's own files do; Keras 3 reads neither
        // from the root, so they cannot trigger its legacy conversions.
        try file.setAttribute("keras_version", "aelab-\(Self.formatVersion)")
        try file.setAttribute("backend", "aelab")
        switch kerasModel {
        case .config(let json): try file.setAttribute(KerasModel.configAttribute, json)
        case .unavailable(let reason): try file.setAttribute(KerasModel.unavailableAttribute, reason)
        case nil: break
        }
        try file.setAttribute("config", config)
        try file.setAttribute("seed", Int64(bitPattern: seed))
        try file.setAttribute("epoch", Int64(epoch))
        try file.setAttribute("loss", loss)
        try file.setAttribute("training_seconds", trainingSeconds)
        try file.setAttribute("rng_state", rngState)
        if let initialWeights {
            try file.setAttribute("initial_weights", initialWeights.file)
            try file.setAttribute("initial_weights_experiment", initialWeights.experiment)
            try file.setAttribute("initial_weights_epoch", Int64(initialWeights.epoch))
            try file.setAttribute("initial_weights_layers", initialWeights.loadedLayers)
        }
        if let stop { try file.setAttribute("stop", stop.rawValue) }

        try file.createGroup("/model_weights")
        try file.setAttribute("layer_names", layers.map(\.name), on: "/model_weights")
        for layer in layers {
            let group = "/model_weights/\(layer.name)"
            try file.createGroup(group)
            try file.setAttribute("weight_names", layer.parameters.map { "\(layer.name)/\($0.name)" }, on: group)
            for parameter in layer.parameters {
                try file.write(parameter.value, at: "\(group)/\(layer.name)/\(parameter.name)")
            }
        }

        let base = "/optimizer_weights/\(optimizerType)"
        try file.createGroup(base)
        try file.write(Int64(optimizerState.iterations), at: "\(base)/iterations")
        var weightNames = ["\(optimizerType)/iterations"]
        for (owner, slots) in zip(optimizerSlotOwners, optimizerState.slots) {
            for (slotName, slot) in zip(optimizerSlotNames, slots) {
                let relative = "\(optimizerType)/\(owner)/\(slotName)"
                try file.write(slot, at: "/optimizer_weights/\(relative)")
                weightNames.append(relative)
            }
        }
        try file.setAttribute("optimizer", optimizerType, on: "/optimizer_weights")
        try file.setAttribute("slot_names", optimizerSlotNames, on: "/optimizer_weights")
        try file.setAttribute("weight_names", weightNames, on: "/optimizer_weights")
    }
}
