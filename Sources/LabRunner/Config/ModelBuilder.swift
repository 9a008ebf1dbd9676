import LabCore

/// Builds the network of a `model` block: an explicit `layers` list, or the
/// compact `mlp` form that expands to d -> width x depth -> d, each hidden
/// Dense followed by the activation, and the output Dense followed by
/// `output_activation` unless that is `none`. Entries of `layers` may carry
/// `name` and `trainable` (`LayerOptions`); the `mlp` form's layers may not.
/// With the network come the config nodes its layers grow with, for the
/// memory estimate.
enum ModelBuilder {
    /// Hidden layers an mlp may have: far beyond any study, and a bound on
    /// the layers composed before the memory estimate can look at them.
    static let maximumDepth = 10_000

    /// `inputSource` is the config value the samples' size comes from.
    static func build(_ config: ConfigReader, inputShape: [Int], inputSource: ConfigNode,
                      context: BuildContext) throws -> (Network, layerSources: [ConfigNode]) {
        let layersNode = config.node("layers")
        let mlpNode = config.node("mlp")
        switch (layersNode, mlpNode) {
        case (let layers?, nil):
            guard case .sequence(let items) = layers.content, !items.isEmpty else {
                throw layers.error("expected a non-empty list of layers, got \(layers.summary)")
            }
            let (network, resolved) = try buildLayers(items, withOptions: true, inputShape: inputShape, context: context,
                                                      at: config.node)
            config.record("layers", .list(resolved))
            return (network, items)
        case (nil, let mlp?):
            let reader = try ConfigReader(mlp, keys: mlpKeys)
            let undeclared = reader.undeclaredKeys()
            let expanded: (nodes: [ConfigNode], hasOutputActivation: Bool, size: ConfigNode)
            do {
                expanded = try expandMLP(reader, inputShape: inputShape, inputSource: inputSource)
            } catch {
                try ConfigErrors.throwIfAny(undeclared + [error])
                throw error
            }
            let (nodes, hasOutputActivation, size) = expanded
            let (network, resolved) = try buildLayers(nodes, withOptions: false, inputShape: inputShape, context: context,
                                                      at: config.node)
            // The shorthand's resolved form: its own keys, then what its modules resolved to.
            let firstDense = resolved[0]
            config.record("mlp", .map(reader.resolved + [
                ConfigValue.Entry("activation", resolved[1]),
                ConfigValue.Entry("output_activation", hasOutputActivation ? resolved[resolved.count - 1] : .string("none")),
                ConfigValue.Entry("kernel_initializer", firstDense.value(at: "kernel_initializer")!),
                ConfigValue.Entry("bias_initializer", firstDense.value(at: "bias_initializer")!),
            ] + parameterizationKeys.map { ConfigValue.Entry($0, firstDense.value(at: $0)!) }))
            return (network, Array(repeating: size, count: nodes.count))
        case (.some, .some):
            throw config.node.error("give either 'layers' or 'mlp', not both")
        case (nil, nil):
            throw config.missing("layers", expected: "'layers' (a list) or 'mlp' (a mapping)")
        }
    }

    static let mlpKeys = ["input", "width", "depth", "bias", "activation", "output_activation", "kernel_initializer", "bias_initializer"]
        + parameterizationKeys
    /// The dense layer's keys an mlp passes to each of its dense layers as written.
    static let parameterizationKeys = ["parameterization", "weight_scale", "bias_scale"]
    static let modelKeys = ["layers", "mlp"]

    /// The unknown keys of a model block, found without building it (when
    /// the data it would be built for is itself wrong).
    static func undeclaredKeys(of model: ConfigNode, registry: Registry) -> [ConfigError] {
        guard let reader = try? ConfigReader(model, keys: modelKeys) else { return [] }
        var errors = reader.undeclaredKeys()
        if let mlp = model["mlp"], let mlpReader = try? ConfigReader(mlp, keys: mlpKeys) {
            errors += mlpReader.undeclaredKeys()
        }
        if case .sequence(let items)? = model["layers"]?.content {
            errors += items.flatMap { registry.undeclaredLayerKeys(in: LayerOptions.moduleNode(of: $0)) }
        }
        return errors
    }

    private static func buildLayers(
        _ nodes: [ConfigNode], withOptions: Bool, inputShape: [Int], context: BuildContext, at modelNode: ConfigNode
    ) throws -> (Network, [ConfigValue]) {
        var context = context
        context.inputShape = inputShape
        var layers: [any Layer] = []
        var names: [String] = []
        var trainable: [Bool] = []
        var resolved: [ConfigValue] = []
        var counts: [String: Int] = [:]
        for (index, node) in nodes.enumerated() {
            let options = withOptions ? try LayerOptions(reading: node) : LayerOptions(plain: node)
            let (layer, resolvedLayer): (any Layer, ConfigValue)
            do {
                (layer, resolvedLayer) = try context.registry.buildLayer(options.moduleNode, context: context)
            } catch {
                // The layers after this one have no input shape to be built for; their keys can still be checked.
                try ConfigErrors.throwIfAny([error] + nodes[(index + 1)...].flatMap {
                    context.registry.undeclaredLayerKeys(in: LayerOptions.moduleNode(of: $0))
                })
                throw error
            }
            // Automatic names count every layer of the type, so naming one renames no other.
            counts[layer.typeName, default: 0] += 1
            let name = options.name ?? "\(layer.typeName)_\(counts[layer.typeName]!)"
            try check(options, of: layer, named: name, at: node, among: names)
            names.append(name)
            trainable.append(options.trainable)
            layers.append(layer)
            resolved.append(options.resolved(resolvedLayer))
            context.inputShape = layer.outputShape
        }
        guard context.inputShape == inputShape else {
            throw modelNode.error("the network maps samples of shape \(inputShape) to \(context.inputShape); an autoencoder must return its input's shape")
        }
        return (Network(inputShape: inputShape, layers: layers, layerNames: names, trainable: trainable), resolved)
    }

    /// A layer's name is its own, and only a layer with parameters can be frozen.
    private static func check(_ options: LayerOptions, of layer: any Layer, named name: String, at node: ConfigNode,
                              among names: [String]) throws {
        if let taken = names.firstIndex(of: name) {
            throw (options.nameNode ?? node).error("layer name '\(name)' is already layer \(taken + 1)'s",
                                                   allowed: "a name no other layer has (unnamed layers are <type>_<n>)")
        }
        if !options.trainable, layer.parameters.isEmpty {
            throw options.trainableNode!.error("trainable: false on '\(name)', which has no parameters to freeze",
                                               allowed: "trainable on a layer with parameters (dense, conv2d, conv_transpose2d, prelu, ...)")
        }
    }

    /// The layer nodes of an `mlp` block. Nodes the user wrote are passed on as
    /// written, so an unknown activation is reported at its own line. The size
    /// node is the largest of the values the network grows with: the input
    /// size, the width and the depth.
    private static func expandMLP(_ mlp: ConfigReader, inputShape: [Int], inputSource: ConfigNode)
        throws -> (nodes: [ConfigNode], hasOutputActivation: Bool, size: ConfigNode) {
        guard inputShape.count == 1 else {
            throw mlp.node.error("mlp needs flat samples, but the data has shape \(inputShape)")
        }
        let input = try mlp.int("input", default: inputShape[0], range: .atLeast(1))
        guard input == inputShape[0] else {
            throw mlp.node("input")!.error("input is \(input) but the data's samples have \(inputShape[0]) values")
        }
        let width = try mlp.int("width", range: .atLeast(1))
        let depth = try mlp.int("depth", range: .closed(1, Double(maximumDepth)))
        let bias = try mlp.bool("bias", default: true)
        let path = mlp.node.keyPath
        func given(_ key: String, default value: String) -> ConfigNode {
            mlp.node(key) ?? .synthesized(.string(value), keyPath: "\(path).\(key)")
        }
        let activation = given("activation", default: "relu")
        let outputActivation = given("output_activation", default: "none")
        let kernelInitializer = given("kernel_initializer", default: "glorot_normal")
        let biasInitializer = given("bias_initializer", default: "zeros")
        let parameterization = parameterizationKeys.compactMap { key in mlp.node(key).map { (key, $0) } }
        try mlp.finish()

        func dense(_ units: Int) -> ConfigNode {
            ConfigNode(.mapping([
                ("type", .synthesized(.string("dense"), keyPath: "\(path).type")),
                ("units", .synthesized(.int(units), keyPath: "\(path).units")),
                ("bias", .synthesized(.bool(bias), keyPath: "\(path).bias")),
                ("kernel_initializer", kernelInitializer),
                ("bias_initializer", biasInitializer),
            ] + parameterization), location: mlp.node.location, keyPath: path)
        }
        var nodes: [ConfigNode] = []
        for _ in 0..<depth { nodes += [dense(width), activation] }
        nodes.append(dense(input))
        let hasOutputActivation: Bool
        if case .scalar("none") = outputActivation.content { hasOutputActivation = false } else { hasOutputActivation = true }
        if hasOutputActivation { nodes.append(outputActivation) }
        let sizes = [(input, inputSource), (width, mlp.located("width")), (depth, mlp.located("depth"))]
        return (nodes, hasOutputActivation, sizes.max { $0.0 < $1.0 }!.1)
    }
}
