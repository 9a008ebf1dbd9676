import Foundation
import LabCore

/// The memory an experiment needs at its peak, from its composed shapes,
/// before any parameter or sample exists: parameters, their gradients,
/// optimizer state, one batch's activations forward and backward, the
/// dataset (and the copy analyses start from), and the working sets analyses
/// declare. Each term remembers the config value that makes it large, so a
/// refusal points at the line to change.
public struct MemoryEstimate: Sendable {
    public struct Term: Sendable {
        public var name: String
        public var bytes: Double
        /// The config value this term grows with: where a refusal points.
        public var source: ConfigNode
    }

    /// What the estimate is made from, gathered while the experiment is composed.
    struct Inputs {
        var network: Network
        /// The config node each layer of `network` came from (for an mlp, its width or depth).
        var layerSources: [ConfigNode]
        var dataset: any Dataset
        var dataNode: ConfigNode
        var optimizerSlots: Int
        var batchSize: Int
        var batchNode: ConfigNode
        var analyses: [(analysis: any Analysis, node: ConfigNode)]
    }

    public var terms: [Term]

    public var totalBytes: Double { terms.reduce(0) { $0 + $1.bytes } }

    init(_ inputs: Inputs) {
        let network = inputs.network
        let parameterCounts = network.layers.map { $0.parameters.reduce(0.0) { $0 + Self.product($1.shape) } }
        let parameters = parameterCounts.reduce(0, +)
        let parameterSource = Self.largest(parameterCounts).map { inputs.layerSources[$0] } ?? inputs.dataNode
        terms = [
            Term(name: "parameters", bytes: 4 * parameters, source: parameterSource),
            Term(name: "gradients", bytes: 4 * parameters, source: parameterSource),
            Term(name: "optimizer state", bytes: 4 * parameters * Double(inputs.optimizerSlots), source: parameterSource),
            Self.activations(inputs),
            Self.dataset(inputs),
        ]
        for (analysis, node) in inputs.analyses {
            guard let estimating = analysis as? WorkingSetEstimating else { continue }
            terms.append(Term(name: "analysis \(analysis.typeName)",
                              bytes: estimating.workingSetBytes(network: network, pointCount: inputs.dataset.count), source: node))
        }
    }

    /// One batch through every layer: each layer's output and scratch stay
    /// cached for backward, and two gradients of the widest layer are alive at once.
    private static func activations(_ inputs: Inputs) -> Term {
        let layers = inputs.network.layers
        let perLayer = layers.map { product($0.outputShape) + $0.scratchScalarsPerSample }
        let widest = layers.map { product($0.outputShape) }.max() ?? 0
        let perSample = product(inputs.network.inputShape) + perLayer.reduce(0, +) + 2 * widest
        let batch = Double(min(inputs.batchSize, inputs.dataset.count))
        let largestLayer = largest(perLayer)
        let source = largestLayer.map { batch < perLayer[$0] ? inputs.layerSources[$0] : inputs.batchNode } ?? inputs.batchNode
        return Term(name: "activations", bytes: 4 * batch * perSample, source: source)
    }

    /// The samples, and the copy of all of them that analyses start from.
    private static func dataset(_ inputs: Inputs) -> Term {
        let count = Double(inputs.dataset.count), sampleSize = product(inputs.dataset.sampleShape)
        let copies: Double = inputs.analyses.isEmpty ? 1 : 2
        let node = inputs.dataNode
        let source = (count >= sampleSize ? node["count"] : node["shape"]) ?? node
        return Term(name: "dataset", bytes: 4 * count * sampleSize * copies, source: source)
    }

    private static func product(_ shape: [Int]) -> Double { shape.reduce(1.0) { $0 * Double($1) } }

    private static func largest(_ values: [Double]) -> Int? {
        values.indices.max { values[$0] < values[$1] }
    }

    /// The largest term: what to change first.
    public var dominant: Term { terms.max { $0.bytes < $1.bytes }! }

    /// "1.2 GiB (parameters 400 MiB, ...)", terms above zero, largest first.
    public var description: String {
        let parts = terms.filter { $0.bytes > 0 }.sorted { $0.bytes > $1.bytes }
            .map { "\($0.name) \(Self.format($0.bytes))" }
        return "\(Self.format(totalBytes)) (\(parts.joined(separator: ", ")))"
    }

    /// Refuses an estimate above `limit` bytes, at the dominant term's config value.
    public func check(limit: Double) throws {
        guard totalBytes > limit else { return }
        let source = dominant.source
        throw ConfigError(location: source.location, keyPath: source.keyPath,
                          message: "\(Self.shown(source)) makes the experiment need \(description); this machine has \(Self.format(limit))",
                          allowed: "values whose estimate fits in memory")
    }

    /// The value as written: '1e12', [1000000000], or "this block" for a
    /// module's mapping (a layer, an analysis).
    private static func shown(_ node: ConfigNode) -> String {
        if case .mapping = node.content { return "this block" }
        guard case .sequence(let items) = node.content else { return node.summary }
        let scalars = items.compactMap { item -> String? in
            if case .scalar(let text) = item.content { return text } else { return nil }
        }
        return scalars.count == items.count ? "[\(scalars.joined(separator: ", "))]" : node.summary
    }

    /// Bytes in binary units: "512 B", "3.2 MiB", "29.1 TiB".
    public static func format(_ bytes: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = bytes
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(Int(value)) B" }
        return String(format: value < 1e4 ? "%.1f" : "%.3g", value) + " " + units[unit]
    }

    /// The machine's physical memory in bytes.
    public static var physicalMemory: Double {
        Double(sysconf(Int32(_SC_PHYS_PAGES))) * Double(sysconf(Int32(_SC_PAGESIZE)))
    }
}
