import LabCore

/// How `aelab report` lays a sweep out in the study's own tables: one grid
/// key's values as rows, another's as columns, a table per variant. Declared
/// in the config's `report` block, `report: {rows: model.mlp.depth, columns:
/// model.mlp.width}`, or taken from a grid of exactly two keys (first as
/// rows, second as columns). The block's `plots` are `SweepPlot`s.
public struct ReportLayout: Codable, Sendable, Equatable {
    public var rows: String
    public var columns: String

    public init(rows: String, columns: String) {
        self.rows = rows
        self.columns = columns
    }

    /// The layout of a `report` block: its rows and columns, else (none
    /// given, or no block) inferred when the grid has exactly two keys.
    static func read(_ node: ConfigNode?, gridKeys: [String]) throws -> ReportLayout? {
        let inferred = gridKeys.count == 2 ? ReportLayout(rows: gridKeys[0], columns: gridKeys[1]) : nil
        guard let node else { return inferred }
        guard case .mapping(let entries) = node.content else {
            throw node.error("expected a mapping with rows and columns, or plots, got \(node.summary)")
        }
        var keys: [String: String] = [:]
        for entry in entries where entry.key != "plots" {
            guard ["rows", "columns"].contains(entry.key) else {
                throw entry.value.error("unknown report key '\(entry.key)'\(ConfigReader.suggestion(for: entry.key, among: ["rows", "columns", "plots"]))",
                                        allowed: "rows, columns, plots")
            }
            guard case .scalar(let keyPath) = entry.value.content, gridKeys.contains(keyPath) else {
                throw entry.value.error("report.\(entry.key) must name one of the sweep's grid keys, got \(entry.value.summary)",
                                        allowed: gridKeys.isEmpty ? "none: the sweep has no grid" : gridKeys.joined(separator: ", "))
            }
            keys[entry.key] = keyPath
        }
        if keys.isEmpty { return inferred }
        guard let rows = keys["rows"], let columns = keys["columns"] else {
            throw node.error("the report block needs both rows and columns", allowed: "rows: GRID KEY, columns: GRID KEY")
        }
        guard rows != columns else { throw node.error("report rows and columns must be different grid keys") }
        return ReportLayout(rows: rows, columns: columns)
    }
}
