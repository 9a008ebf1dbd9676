import Foundation
import LabCore
import LabIO

/// `training.initial_weights`: the weights a run starts from instead of its
/// fresh initialisation, from a run directory (its `last.h5`) or a
/// checkpoint file. Layers map by name: a layer of the network that the
/// checkpoint holds takes its weights (same parameter names and shapes, or
/// an error naming the layer and both shapes); a layer it does not hold keeps
/// its fresh initialisation; the checkpoint's other layers are ignored. At
/// least one layer must load. The checkpoint is read when training starts
/// (not when the config is composed), so a config may name a run not yet trained.
public struct InitialWeights: Sendable {
    /// The configured path, resolved against the config file's folder and made absolute.
    public let path: String
    /// Where the key was written, for the error when nothing is there.
    let location: SourceLocation
    let keyPath: String

    /// The setting of `training`, if given; the resolved config records the absolute path.
    static func read(from training: ConfigReader, baseDirectory: String) throws -> InitialWeights? {
        guard let given = try training.optionalString("initial_weights"), let node = training.node("initial_weights") else { return nil }
        var path = given.hasPrefix("/") ? given : (baseDirectory as NSString).appendingPathComponent(given)
        if !path.hasPrefix("/") { path = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path) }
        path = (path as NSString).standardizingPath
        training.record("initial_weights", .string(path))
        return InitialWeights(path: path, location: node.location, keyPath: node.keyPath)
    }

    /// The checkpoint file: a run directory's `last.h5`, or the file named.
    public var checkpointFile: String {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        return exists && isDirectory.boolValue ? RunDirectory(path: path).lastCheckpointPath : path
    }

    /// Copies the mapped layers' weights into `network` (nothing changes on an
    /// error) and says where they came from and which layers were loaded.
    func load(into network: Network) throws -> (origin: WeightsOrigin, message: String) {
        let file = checkpointFile
        guard FileManager.default.fileExists(atPath: file) else {
            throw ConfigError(location: location, keyPath: keyPath, message: "no checkpoint at \(file) (train that run first)",
                              allowed: "a run directory holding last.h5, or a checkpoint file")
        }
        let checkpoint = try Checkpoint.read(from: file)
        let stored = Dictionary(checkpoint.layers.map { ($0.name, $0.parameters) }, uniquingKeysWith: { first, _ in first })
        var assignments: [(Parameter, Tensor)] = []
        var loaded: [String] = []
        var fresh: [String] = []
        for (name, layer) in zip(network.layerNames, network.layers) where !layer.parameters.isEmpty {
            guard let source = stored[name] else {
                fresh.append(name)
                continue
            }
            assignments += try Self.match(layer: name, parameters: layer.parameters, to: source, file: file)
            loaded.append(name)
        }
        guard !loaded.isEmpty else {
            throw FileError(file: file, message: "holds none of the network's layers (\(fresh.joined(separator: ", "))), only \(checkpoint.layers.map(\.name).joined(separator: ", ")); layers map by name (give layers a `name:`)")
        }
        for (parameter, value) in assignments { parameter.value = value }
        let ignored = checkpoint.layers.map(\.name).filter { !network.layerNames.contains($0) }
        let origin = WeightsOrigin(file: file, experiment: Self.experimentName(inConfig: checkpoint.config, file: file),
                                   epoch: checkpoint.epoch, loadedLayers: loaded)
        let message = "initial weights from \(file) (experiment \(origin.experiment), epoch \(origin.epoch)): loaded \(loaded.joined(separator: ", "))"
            + (fresh.isEmpty ? "" : "; freshly initialised: \(fresh.joined(separator: ", "))")
            + (ignored.isEmpty ? "" : "; not in this network: \(ignored.joined(separator: ", "))")
        return (origin, message)
    }

    /// Each of a layer's parameters paired with its stored value, checked by name and shape.
    private static func match(layer name: String, parameters: [Parameter], to source: [(name: String, value: Tensor)],
                              file: String) throws -> [(Parameter, Tensor)] {
        guard parameters.map(\.name) == source.map(\.name) else {
            throw FileError(file: file, message: "layer '\(name)' holds \(source.map(\.name)) there but \(parameters.map(\.name)) in this network (a layer of another kind or bias setting under the same name?)")
        }
        return try zip(parameters, source).map { parameter, stored in
            guard parameter.value.shape == stored.value.shape else {
                throw FileError(file: file, message: "layer '\(name)': \(parameter.name) has shape \(stored.value.shape) there but \(parameter.value.shape) in this network; layers map by name, so give a layer that should not take these weights another `name:`")
            }
            return (parameter, stored.value)
        }
    }

    /// The `name` of the source checkpoint's embedded config.
    private static func experimentName(inConfig yaml: String, file: String) -> String {
        guard case .scalar(let name)? = (try? YAMLConfigLoader.parse(yaml, file: file))?["name"]?.content else { return "unnamed" }
        return name
    }
}
