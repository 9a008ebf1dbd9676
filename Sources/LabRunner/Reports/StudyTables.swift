import Foundation

/// The memorisation study's own table layout for a sweep: for each variant
/// (and each value of any grid keys beyond the two laid out), one grid key's
/// values as rows and another's as columns, with in every cell the four-way
/// counts (fixed < 1 / fixed > 1 / not < 1 / not > 1, attractors in bold),
/// then tables of the same shape for the final loss and training time, the
/// strict rule's attractors, and the points that did not converge or diverged.
struct StudyTables {
    let layout: ReportLayout
    let gridKeys: [String]

    func blocks(for cells: [ReportBuilder.Cell]) -> [ReportDocument.Block] {
        guard let rowKey = gridKeys.firstIndex(of: layout.rows), let columnKey = gridKeys.firstIndex(of: layout.columns) else { return [] }
        let names = SweepPlan.shortNames(gridKeys)
        let otherKeys = gridKeys.indices.filter { $0 != rowKey && $0 != columnKey }
        var groups: [(title: String, cells: [ReportBuilder.Cell])] = []
        for cell in cells {
            let parts = (cell.variant.map { ["variant \($0)"] } ?? []) + otherKeys.map { "\(names[$0]) = \(cell.values[$0])" }
            let title = parts.joined(separator: ", ")
            if let index = groups.firstIndex(where: { $0.title == title }) { groups[index].cells.append(cell) } else { groups.append((title, [cell])) }
        }
        let corner = "\(names[rowKey]) \\ \(names[columnKey])"
        return groups.flatMap { group -> [ReportDocument.Block] in
            let rows = Self.ordered(group.cells.map { $0.values[rowKey] })
            let columns = Self.ordered(group.cells.map { $0.values[columnKey] })
            func table(_ text: ([RunRecord]) -> String) -> ReportDocument.Block {
                .table(header: [corner] + columns, rows: rows.map { row in
                    [row] + columns.map { column in
                        guard let cell = group.cells.first(where: { $0.values[rowKey] == row && $0.values[columnKey] == column }) else { return "" }
                        let done = cell.records.filter(\.isComplete)
                        guard !done.isEmpty else { return "– (0/\(cell.records.count))" }
                        return text(done) + (done.count < cell.records.count ? " (\(done.count)/\(cell.records.count))" : "")
                    }
                })
            }
            let heading = group.title.isEmpty ? "" : " (\(group.title))"
            let hasHeldout = group.cells.contains { $0.records.contains { $0.finalHeldoutLoss != nil } }
            return [
                .heading(2, "Four-way table\(heading)"),
                .paragraph("Each cell: fixed points with radius < 1 (attractors, in bold) / fixed points with radius > 1 / "
                    + "not fixed with radius < 1 / not fixed with radius > 1, means over the cell's complete repeats "
                    + "(a cell with fewer than all of its repeats says how many)."),
                table(fourWay),
                .paragraph("Final loss (mean batch loss of the last epoch, as the study's training reported it): "
                    + "mean ± half-width of its 95% interval over repeats (Student's t; no interval for one run), "
                    + (hasHeldout ? "the final loss on the evaluation data (held-out) the same way, " : "") + "and mean seconds of training."),
                table { records in
                    let seconds = ReportStatistics.mean(records.compactMap(\.trainingSeconds)).map { String(format: "%.0f s", $0) } ?? "–"
                    let heldout = hasHeldout ? ", held-out \(Self.meanWithInterval(records.compactMap(\.finalHeldoutLoss)))" : ""
                    return "\(Self.meanWithInterval(records.compactMap(\.finalLoss)))\(heldout), \(seconds)"
                },
                .paragraph("Attractors by the strict rule (the limit within the strict tolerance of its own image)."),
                table { Self.count($0, "strict_attractors") },
                .paragraph("Points whose iteration did not converge / diverged (already counted in the \"not fixed\" cells above)."),
                table { "\(Self.count($0, "did_not_converge")) / \(Self.count($0, "diverged"))" },
            ]
        }
    }

    func fourWay(_ records: [RunRecord]) -> String {
        let counts = ["fixed_radius_below_1", "fixed_radius_above_1", "not_fixed_radius_below_1", "not_fixed_radius_above_1"]
            .map { Self.count(records, $0) }
        return "**\(counts[0])** / " + counts.dropFirst().joined(separator: " / ")
    }

    /// "mean ± half-width of the 95% interval" of losses over runs ("–" for none).
    static func meanWithInterval(_ losses: [Double]) -> String {
        ReportStatistics.mean(losses).map { mean in
            ReportStatistics.confidenceHalfWidth(losses).map { String(format: "%.3g ± %.2g", mean, $0) } ?? String(format: "%.3g", mean)
        } ?? "–"
    }

    /// The mean of a count over runs: whole numbers as such, else two decimals.
    static func count(_ records: [RunRecord], _ key: String) -> String {
        guard let mean = ReportStatistics.mean(records.compactMap { $0.counts[key] }) else { return "–" }
        return mean == mean.rounded() ? String(format: "%.0f", mean) : String(format: "%.2f", mean)
    }

    /// Distinct values in order of first appearance.
    static func ordered(_ values: [String]) -> [String] {
        values.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    }
}
