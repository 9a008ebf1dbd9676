import LabCore

/// `weights`: a layer's learned kernels as pictures, for the report: each
/// unit's incoming weights of a Dense layer as an image of its input (a 784-
/// weight unit as a 28 x 28 tile), or each filter of a convolution as a
/// kernel-sized image. The last row of the grid is padded with the weights' mean.
public struct WeightPicturesAnalysis: LayerSelectingAnalysis {
    public let typeName = "weights"
    /// The layer pictured; nil: the network's first Dense or convolution.
    public var layer: String?
    public var tiles: Int
    public var tilesPerRow = 16

    public init(layer: String?, tiles: Int) {
        self.layer = layer
        self.tiles = tiles
    }

    public func run(network: Network, trainingPoints: Tensor) throws -> AnalysisResult {
        let index = try layerIndex(in: network)
        let name = network.layerNames[index]
        let (kernels, tileShape, note) = try Self.kernels(of: network.layers[index], inputShape: network.inputShape, name: name)
        let shown = Array(kernels.prefix(tiles))
        let size = tileShape.reduce(1, *)
        let perRow = min(tilesPerRow, shown.count)
        let rows = (shown.count + perRow - 1) / perRow
        let all = shown.flatMap { $0 }
        let mean = all.isEmpty ? 0 : all.reduce(0, +) / Float(all.count)
        let padded = shown.flatMap { $0 } + [Float](repeating: mean, count: (rows * perRow - shown.count) * size)
        return AnalysisResult(
            summary: [ConfigValue.Entry("layer", .string(name)), ConfigValue.Entry("tiles", .int(shown.count)),
                      ConfigValue.Entry("of", .int(kernels.count)), ConfigValue.Entry("tile_shape", .list(tileShape.map { .int($0) }))],
            arrays: [("strip", Tensor(shape: [rows, perRow, size], scalars: padded))],
            table: [["layer", "pictured", "tile"], [name, "\(shown.count) of \(kernels.count)", tileShape.map(String.init).joined(separator: " x ")]],
            imageStrips: [ResultImageStrip(
                title: "Weights of \(name)", array: "strip", sampleShape: tileShape,
                caption: "The first \(shown.count) of the \(kernels.count) \(note) of \(name), each drawn on the grid's own range "
                    + "(lowest black, highest white).")])
    }

    func layerIndex(in network: Network) throws -> Int {
        if let layer {
            guard let index = network.layerNames.firstIndex(of: layer) else {
                throw AnalysisError("weights: no layer named '\(layer)' (the network has \(network.layerNames.joined(separator: ", ")))")
            }
            return index
        }
        guard let index = network.layers.firstIndex(where: { $0 is Dense || $0 is Conv2D }) else {
            throw AnalysisError("weights: the network has no Dense or convolution layer")
        }
        return index
    }

    /// Each unit's or filter's weights in the layout of its tile, the tile's shape, and what they are.
    /// A Dense layer with as many inputs as the network has draws its tiles in the input's shape.
    static func kernels(of layer: any Layer, inputShape: [Int]?, name: String) throws -> ([[Float]], [Int], String) {
        if let dense = layer as? Dense {
            let (inputs, units) = (dense.kernel.value.shape[0], dense.units)
            let values = dense.kernel.value.scalars
            let shape = inputShape.flatMap { $0.reduce(1, *) == inputs ? $0 : nil } ?? [inputs]
            return ((0..<units).map { unit in (0..<inputs).map { values[$0 * units + unit] } }, shape, "units' incoming weights")
        }
        if let conv = layer as? Conv2D {
            let shape = conv.kernel.value.shape  // (kh, kw, in, out)
            let (height, width, channels, filters) = (shape[0], shape[1], shape[2], shape[3])
            let shown = [1, 3].contains(channels) ? channels : 1
            let values = conv.kernel.value.scalars
            let kernels = (0..<filters).map { filter in
                (0..<(height * width)).flatMap { pixel in (0..<shown).map { values[(pixel * channels + $0) * filters + filter] } }
            }
            return (kernels, [height, width, shown], shown == channels ? "filters" : "filters (input channel 0 of \(channels))")
        }
        throw AnalysisError("weights: \(name) is a \(layer.typeName) layer, which has no kernels to picture (a dense or conv2d layer has)")
    }
}

extension WeightPicturesAnalysis {
    static func register(in registry: inout Registry) {
        registry.analyses.register(
            "weights", summary: "a Dense layer's units or a convolution's filters as pictures, for the report",
            parameters: [
                ParameterSpec("layer", .text, optional: true, doc: "the layer pictured (default: the first dense or conv2d)"),
                .integer("tiles", default: 64, range: .atLeast(1), doc: "units or filters pictured (the first ones)"),
            ]
        ) { config, _ in
            WeightPicturesAnalysis(layer: config.node("layer") != nil ? try config.string("layer") : nil, tiles: try config.int("tiles"))
        }
    }
}
