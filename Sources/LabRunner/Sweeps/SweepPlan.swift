import Foundation
import LabCore

/// The experiments a config's `sweep` block declares:
///
///     sweep:
///       grid:                       # every combination of these values
///         model.mlp.width: [32, 64, 128]
///         model.mlp.depth: [1, 2, 3]
///       variants:                   # optional: named sets of values, each run on the whole grid
///         plain: {}
///         denoising: {training.corruption: {type: masking, probability: 0.3}}
///       repeats: 4                  # seeds derived from the base seed
///
/// Points are numbered variant-major, then grid (last key fastest), then
/// repeat. Repeat r has the same seed in every cell, derived from the base
/// seed, so cells differ only in what the grid changes.
public struct SweepPlan: Sendable {
    public let name: String
    public let configFile: String
    public let gridKeys: [String]
    public let variants: [String]
    public let repeats: Int
    public let points: [SweepPoint]
    /// Rows and columns of the report's study tables, if the sweep has them.
    public let layout: ReportLayout?
    /// The report's charts of summary values against grid keys.
    public let plots: [SweepPlot]
    /// The `slurm` block's settings for `aelab sweep --emit slurm`.
    public let slurm: SlurmSettings

    /// Points a sweep may declare: far more than one machine or a Slurm
    /// array runs, few enough to list before any runs.
    static let maximumPoints = 10_000

    /// Refuses a sweep whose grid sizes, variants and repeats multiply past `maximumPoints`.
    static func checkPointCount(_ factors: [Int], at sweep: ConfigNode) throws {
        var count = 1
        for factor in factors {
            let (product, overflow) = count.multipliedReportingOverflow(by: factor)
            guard !overflow, product <= maximumPoints else {
                throw sweep.error("the grid, variants and repeats declare more than \(maximumPoints) points (\(factors.map(String.init).joined(separator: " x ")))",
                                  allowed: "at most \(maximumPoints) points")
            }
            count = product
        }
    }

    public init(configFile path: String, overrides: [ConfigOverride] = []) throws {
        var root = try YAMLConfigLoader.load(file: path)
        guard let sweep = root["sweep"] else {
            throw RunError("\(path): has no sweep block; run a single experiment with `aelab run \(path)`")
        }
        let (report, slurm) = (root["report"], root["slurm"])
        root = root.removing("sweep").removing("report").removing("slurm")
        for override in overrides { try override.apply(to: &root) }
        try self.init(base: root, sweep: sweep, report: report, slurm: slurm, file: path)
    }

    init(base: ConfigNode, sweep: ConfigNode, report: ConfigNode? = nil, slurm: ConfigNode? = nil, file: String) throws {
        configFile = file
        self.slurm = try SlurmSettings.read(slurm)
        guard case .mapping(let entries) = sweep.content else {
            throw sweep.error("expected a mapping with grid, variants and repeats, got \(sweep.summary)")
        }
        for entry in entries where !["grid", "variants", "repeats"].contains(entry.key) {
            throw entry.value.error("unknown sweep key '\(entry.key)'", allowed: "grid, variants, repeats")
        }
        guard let nameText = base["name"].flatMap(Self.scalar) else {
            throw base.error("a sweep needs the experiment's name (it names the sweep directory)")
        }
        name = nameText
        let baseSeed = try Self.baseSeed(base)

        let grid = try Self.grid(sweep["grid"])
        let variantList = try Self.variants(sweep["variants"])
        repeats = try sweep["repeats"].map { node -> Int in
            guard let text = Self.scalar(node), let count = Int(text), count >= 1 else {
                throw node.error("expected a whole number of repeats, got \(node.summary)", allowed: "an integer >= 1")
            }
            return count
        } ?? 1
        try Self.checkPointCount(grid.map(\.values.count) + [variantList.count, repeats], at: sweep)
        gridKeys = grid.map(\.keyPath)
        layout = try ReportLayout.read(report, gridKeys: gridKeys)
        variants = variantList.compactMap(\.name)
        let labels = Self.shortNames(gridKeys)

        var points: [SweepPoint] = []
        let cells = grid.reduce([[Int]]([[]])) { combos, key in combos.flatMap { combo in key.values.indices.map { combo + [$0] } } }
        for variant in variantList {
            for cell in cells {
                for repeatIndex in 0..<repeats {
                    var generator = RandomGenerator(seed: baseSeed).derived("repeat \(repeatIndex)")
                    let seed = Int(generator.next() >> 33)
                    var (config, coordinates, parts) = try Self.apply(cell, of: grid, labels: labels, to: base,
                                                                      named: variant.name.map { [$0] } ?? [])
                    for override in variant.overrides { try override.apply(to: &config) }
                    let seedNode = ConfigNode(.scalar(String(seed)), location: sweep.location, keyPath: "seed")
                    try ConfigOverride(keyPath: "seed", value: seedNode, origin: sweep.location).apply(to: &config)
                    if repeats > 1 { parts.append("r\(repeatIndex)") }
                    let label = parts.isEmpty ? "run" : Self.fileSafe(parts.joined(separator: "_"))
                    points.append(SweepPoint(index: points.count, label: label, variant: variant.name, coordinates: coordinates,
                                             repeatIndex: repeatIndex, seed: seed, config: config))
                }
            }
        }
        try Self.checkDistinctDirectories(points, at: sweep["grid"] ?? sweep)
        self.points = points
        plots = try SweepPlot.read(report?["plots"], grid: grid, analyses: SweepPlot.analysisNames(points.map(\.config)),
                                   evaluated: points.allSatisfy { $0.config["evaluation"] != nil })
    }

    /// `base` with the grid values of `cell` (one value index per grid key)
    /// set, those values as text, and the label parts naming them.
    static func apply(_ cell: [Int], of grid: [(keyPath: String, values: [ConfigNode])], labels: [String], to base: ConfigNode, named parts: [String])
        throws -> (config: ConfigNode, coordinates: [(keyPath: String, value: String)], parts: [String]) {
        var config = base
        var coordinates: [(keyPath: String, value: String)] = []
        var parts = parts
        for (keyIndex, valueIndex) in cell.enumerated() {
            let key = grid[keyIndex]
            let value = key.values[valueIndex]
            try ConfigOverride(keyPath: key.keyPath, value: value, origin: value.location).apply(to: &config)
            let text = scalar(value) ?? "#\(valueIndex + 1)"
            coordinates.append((key.keyPath, text))
            parts.append("\(labels[keyIndex])=\(text)")
        }
        return (config, coordinates, parts)
    }

    /// Two points whose labels coincide (`[8, 8]`, or `d/x` and `d-x` once
    /// made file-safe) would train in one directory and write one log.
    static func checkDistinctDirectories(_ points: [SweepPoint], at node: ConfigNode) throws {
        var first: [String: Int] = [:]
        for point in points {
            if let earlier = first[point.label] {
                throw node.error("points \(earlier) and \(point.index) would share the run directory '\(point.label)'",
                                 allowed: "grid values and variant names that stay distinct as file names")
            }
            first[point.label] = point.index
        }
    }

    /// The sweep's folder: one run directory per point inside it.
    public func directory(runsDirectory: String) -> String {
        (runsDirectory as NSString).appendingPathComponent(name)
    }

    /// The base experiment's seed, from which every repeat's derives (0 when it has none).
    static func baseSeed(_ base: ConfigNode) throws -> UInt64 {
        guard let node = base["seed"] else { return 0 }
        guard let text = scalar(node), let seed = UInt64(text) else {
            throw node.error("expected a non-negative integer seed, got \(node.summary)")
        }
        return seed
    }

    static func scalar(_ node: ConfigNode) -> String? {
        if case .scalar(let text) = node.content { return text }
        return nil
    }

    static func grid(_ node: ConfigNode?) throws -> [(keyPath: String, values: [ConfigNode])] {
        guard let node else { return [] }
        guard case .mapping(let entries) = node.content else {
            throw node.error("expected a mapping from key paths to lists of values, got \(node.summary)")
        }
        return try entries.map { entry in
            guard case .sequence(let values) = entry.value.content, !values.isEmpty else {
                throw entry.value.error("expected a non-empty list of values to sweep, got \(entry.value.summary)")
            }
            return (entry.key, values)
        }
    }

    static func variants(_ node: ConfigNode?) throws -> [(name: String?, overrides: [ConfigOverride])] {
        guard let node else { return [(nil, [])] }
        guard case .mapping(let entries) = node.content, !entries.isEmpty else {
            throw node.error("expected a mapping from variant names to the values they set, got \(node.summary)")
        }
        return try entries.map { entry in
            guard !entry.key.isEmpty, entry.key.allSatisfy({ $0.isLetter || $0.isNumber || "-_".contains($0) }) else {
                throw entry.value.error("'\(entry.key)' cannot name a variant", allowed: "letters, digits, '-', '_'")
            }
            switch entry.value.content {
            case .null: return (entry.key, [])
            case .mapping(let settings):
                return (entry.key, try settings.map { try ConfigOverride(keyPath: $0.key, value: $0.value, origin: $0.value.location) })
            default:
                throw entry.value.error("expected a mapping from key paths to values, got \(entry.value.summary)")
            }
        }
    }

    /// The last component of each key path, or the whole path where two would clash.
    static func shortNames(_ keyPaths: [String]) -> [String] {
        let last = keyPaths.map { path in String(path.split(separator: ".").last ?? Substring(path)) }
        return zip(keyPaths, last).map { path, short in last.filter { $0 == short }.count > 1 ? path : short }
    }

    static func fileSafe(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || "._=-".contains($0) ? $0 : "-" })
    }
}
