import LabCore

/// One analysis of a run's results as results.json holds it: its name, how
/// long it took, its summary values (beside the name, as keys of their own)
/// the tables, charts and image strips it declared for the report, and the
/// checkpoint files whose weights it studied.
public struct AnalysisRecord: Sendable, Equatable, Codable {
    public var name: String
    public var seconds: Double
    /// The checkpoint file the analysis ran on (`last.h5`, `init.h5`, ...).
    public var weights: String?
    /// The checkpoint of initial weights it compared with (`init.h5`), if any.
    public var initialWeights: String?
    public var summary: [ConfigValue.Entry]
    public var tables: [ResultTable]
    public var charts: [ResultChart]
    public var imageStrips: [ResultImageStrip]

    public init(name: String, seconds: Double, summary: [ConfigValue.Entry], tables: [ResultTable] = [], charts: [ResultChart] = [],
                imageStrips: [ResultImageStrip] = [], weights: String? = nil, initialWeights: String? = nil) {
        (self.name, self.seconds, self.summary, self.tables, self.charts) = (name, seconds, summary, tables, charts)
        (self.imageStrips, self.weights, self.initialWeights) = (imageStrips, weights, initialWeights)
    }

    /// A summary value by its key.
    public func value(_ key: String) -> ConfigValue? { summary.first { $0.key == key }?.value }

    static let ownKeys: Set<String> = ["name", "seconds", "weights", "initial_weights", "tables", "charts", "image_strips"]

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ConfigValue.JSONKey.self)
        try container.encode(name, forKey: .init(stringValue: "name"))
        try container.encode(seconds, forKey: .init(stringValue: "seconds"))
        try container.encodeIfPresent(weights, forKey: .init(stringValue: "weights"))
        try container.encodeIfPresent(initialWeights, forKey: .init(stringValue: "initial_weights"))
        if !tables.isEmpty { try container.encode(tables, forKey: .init(stringValue: "tables")) }
        if !charts.isEmpty { try container.encode(charts, forKey: .init(stringValue: "charts")) }
        if !imageStrips.isEmpty { try container.encode(imageStrips, forKey: .init(stringValue: "image_strips")) }
        for entry in summary where !Self.ownKeys.contains(entry.key) {
            try container.encode(entry.value, forKey: .init(stringValue: entry.key))
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: ConfigValue.JSONKey.self)
        name = try container.decode(String.self, forKey: .init(stringValue: "name"))
        seconds = try container.decodeIfPresent(Double.self, forKey: .init(stringValue: "seconds")) ?? 0
        weights = try container.decodeIfPresent(String.self, forKey: .init(stringValue: "weights"))
        initialWeights = try container.decodeIfPresent(String.self, forKey: .init(stringValue: "initial_weights"))
        tables = try container.decodeIfPresent([ResultTable].self, forKey: .init(stringValue: "tables")) ?? []
        charts = try container.decodeIfPresent([ResultChart].self, forKey: .init(stringValue: "charts")) ?? []
        imageStrips = try container.decodeIfPresent([ResultImageStrip].self, forKey: .init(stringValue: "image_strips")) ?? []
        summary = try container.allKeys.filter { !Self.ownKeys.contains($0.stringValue) }.sorted { $0.stringValue < $1.stringValue }
            .map { ConfigValue.Entry($0.stringValue, try container.decode(ConfigValue.self, forKey: $0)) }
    }
}
