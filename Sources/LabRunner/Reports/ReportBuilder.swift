import Foundation
import LabCore
import LabIO

/// Gathers a sweep directory (or one run directory) into a report: the
/// attractor counts and final loss per cell (variant and grid values)
/// averaged over repeats, variants side by side, the config's plots of
/// summary values against grid keys, loss curves, and the
/// tables, charts and image strips the analyses declared. It reads the runs'
/// metrics and results files only.
public struct ReportBuilder {
    public let directory: String
    /// Cells whose analyses' tables and image strips are shown.
    public var pictureCells = 12

    public init(directory: String) {
        self.directory = directory
    }

    struct Cell {
        var variant: String?
        var values: [String]
        var records: [RunRecord]
        var label: String
    }

    public func build() throws -> ReportDocument {
        let (manifest, cells) = try gather()
        var document = ReportDocument(title: "AutoencoderLab report: \(manifest.name)")
        let records = cells.flatMap(\.records)
        let complete = records.filter(\.isComplete).count
        document.add(.paragraph("\(records.count) run\(records.count == 1 ? "" : "s") in \(directory) (\(complete) complete)"
            + (manifest.gridKeys.isEmpty ? "" : "; grid over \(manifest.gridKeys.joined(separator: ", "))")
            + (manifest.variants.isEmpty ? "" : "; variants \(manifest.variants.joined(separator: ", "))")
            + "; \(manifest.repeats) repeat\(manifest.repeats == 1 ? "" : "s") per cell. Config: \(manifest.configFile)."))
        if let layout = manifest.layout {
            document.add(.heading(1, "The study's tables: \(layout.rows) by \(layout.columns)"))
            for block in StudyTables(layout: layout, gridKeys: manifest.gridKeys).blocks(for: cells) { document.add(block) }
        }
        document.add(.heading(1, "Attractors and loss per cell"))
        document.add(.paragraph("Counts are means over the complete repeats of each cell (whole numbers where they are whole): "
            + "training points that are fixed points or not, with the Jacobian's spectral radius there below or above 1, "
            + "and those with radius exactly 1 or none (J is not taken at a diverged limit); these six add up to the points. "
            + "Attractors by the study's rule and by the strict rule. Points whose iteration did not converge or diverged "
            + "are counted again beside them (they are among the \"not fixed\" and \"no radius\" points). "
            + (manifest.repeats > 1 ? "Final loss: mean with the half-width of its 95% confidence interval (Student's t over repeats). "
                                    : "Final loss: one repeat per cell, so no interval. ")
            + (records.contains { $0.finalHeldoutLoss != nil }
                ? "Held-out loss: the loss on the evaluation data after the last epoch (clean inputs, no penalties), mean and interval as for the final loss. " : "")
            + "Time: mean seconds of training."))
        document.add(summaryTable(manifest, cells))
        if manifest.variants.count > 1 {
            document.add(.heading(2, "Variants side by side"))
            document.add(.paragraph("For each grid cell and variant: attractors by the study's rule (by the strict rule in brackets) "
                + "and the final loss, as in the table above."))
            document.add(sideBySideTable(manifest, cells))
        }
        for block in try SweepPlotCharts(plots: manifest.plots ?? [], gridKeys: manifest.gridKeys).blocks(for: cells) { document.add(block) }
        addCharts(to: &document, manifest, cells)
        return document
    }

    /// The manifest (one made up for a lone run directory) and its cells in point order.
    func gather() throws -> (SweepManifest, [Cell]) {
        var manifest: SweepManifest
        if let read = try SweepManifest.read(from: directory) {
            manifest = read
        } else if RunDirectory(path: directory).exists {
            manifest = SweepManifest(name: (directory as NSString).lastPathComponent, configFile: RunDirectory(path: directory).configPath,
                                     gridKeys: [], variants: [], repeats: 1,
                                     points: [.init(index: 0, directory: ".", variant: nil, values: [], repeatIndex: 0, seed: 0)])
        } else {
            throw RunError("\(directory): neither a sweep directory (no \(SweepManifest.fileName)) nor a run directory (no config.yaml)")
        }
        var cells: [Cell] = []
        let names = SweepPlan.shortNames(manifest.gridKeys)
        for point in manifest.points {
            let record = try RunRecord(run: RunDirectory(path: (directory as NSString).appendingPathComponent(point.directory)))
            if let index = cells.firstIndex(where: { $0.variant == point.variant && $0.values == point.values }) {
                cells[index].records.append(record)
            } else {
                let parts = (point.variant.map { [$0] } ?? []) + zip(names, point.values).map { "\($0)=\($1)" }
                cells.append(Cell(variant: point.variant, values: point.values, records: [record],
                                  label: parts.isEmpty ? manifest.name : parts.joined(separator: ", ")))
            }
        }
        return (manifest, cells)
    }

    func summaryTable(_ manifest: SweepManifest, _ cells: [Cell]) -> ReportDocument.Block {
        let countHeaders = ["points", "fixed, r<1", "fixed, r>1", "not fixed, r<1", "not fixed, r>1", "r = 1", "no radius",
                            "attractors", "strict", "did not converge", "diverged"]
        let hasHeldout = cells.contains { $0.records.contains { $0.finalHeldoutLoss != nil } }
        let header = (manifest.variants.isEmpty ? [] : ["variant"]) + SweepPlan.shortNames(manifest.gridKeys)
            + ["runs"] + countHeaders + [manifest.repeats > 1 ? "final loss (± 95% CI)" : "final loss (one repeat: no interval)"]
            + (hasHeldout ? ["held-out loss"] : []) + ["time s"]
        let rows = cells.map { cell -> [String] in
            let done = cell.records.filter(\.isComplete)
            let counts = RunRecord.countKeys.map { StudyTables.count(done, $0) }
            return (manifest.variants.isEmpty ? [] : [cell.variant ?? ""]) + cell.values
                + ["\(done.count)/\(cell.records.count)"] + counts + [lossText(done)]
                + (hasHeldout ? [lossText(done, \.finalHeldoutLoss)] : []) + [timeText(done)]
        }
        return .table(header: header, rows: rows)
    }

    func sideBySideTable(_ manifest: SweepManifest, _ cells: [Cell]) -> ReportDocument.Block {
        var grid: [[String]] = []
        for cell in cells where !grid.contains(cell.values) { grid.append(cell.values) }
        let header = SweepPlan.shortNames(manifest.gridKeys) + manifest.variants.flatMap { ["\($0): attractors (strict)", "\($0): final loss"] }
        let rows = grid.map { values -> [String] in
            values + manifest.variants.flatMap { variant -> [String] in
                let done = cells.first { $0.variant == variant && $0.values == values }?.records.filter(\.isComplete) ?? []
                let study = StudyTables.count(done, "attractors")
                return [study == "–" ? study : "\(study) (\(StudyTables.count(done, "strict_attractors")))", lossText(done)]
            }
        }
        return .table(header: header.isEmpty ? ["variants"] : header, rows: rows)
    }

    /// The mean of a final loss over runs (the training loss unless told), with its 95% interval.
    func lossText(_ records: [RunRecord], _ loss: (RunRecord) -> Double? = \.finalLoss) -> String {
        let losses = records.compactMap(loss)
        guard let mean = ReportStatistics.mean(losses) else { return "–" }
        return ReportStatistics.confidenceHalfWidth(losses).map { String(format: "%.3g ± %.2g", mean, $0) } ?? String(format: "%.3g", mean)
    }

    func timeText(_ records: [RunRecord]) -> String {
        ReportStatistics.mean(records.compactMap(\.trainingSeconds)).map { String(format: "%.1f", $0) } ?? "–"
    }

    func addCharts(to document: inout ReportDocument, _ manifest: SweepManifest, _ cells: [Cell]) {
        let groups: [(name: String?, cells: [Cell])] = manifest.variants.isEmpty ? [(nil, cells)]
            : manifest.variants.map { variant in (variant, cells.filter { $0.variant == variant }) }
        addLossCharts(to: &document, groups)
        let declared = DeclaredPictures(cells: cells, groups: groups, tableCells: pictureCells).blocks
        if !declared.isEmpty {
            document.add(.heading(1, "What the analyses show"))
            for block in declared { document.add(block) }
        }
    }

    /// One chart of loss curves per variant, the first repeat of each cell,
    /// with the held-out loss dashed beside the training loss of runs that have one.
    func addLossCharts(to document: inout ReportDocument, _ groups: [(name: String?, cells: [Cell])]) {
        document.add(.heading(1, "Training"))
        for (number, group) in groups.enumerated() {
            let series = group.cells.flatMap { cell -> [SVGChart.Series] in
                guard let record = cell.records.first else { return [] }
                let training = SVGChart.Series(label: cell.label, points: record.curve.map { (Double($0.epoch), $0.loss) })
                guard !record.heldoutCurve.isEmpty else { return [training] }
                return [training, SVGChart.Series(label: "held-out: \(cell.label)",
                                                  points: record.heldoutCurve.map { (Double($0.epoch), $0.loss) }, dashed: true)]
            }
            guard series.contains(where: { !$0.points.isEmpty }) else { continue }
            let hasHeldout = series.contains(where: \.dashed)
            let losses = StudyTables.ordered(group.cells.compactMap { $0.records.first?.lossName })
            let lossName = losses.isEmpty ? "" : losses.map { ["mse": "MSE", "bce": "BCE"][$0] ?? $0 }.joined(separator: " / ") + ", "
            var chart = SVGChart(.lines, title: (hasHeldout ? "Training and held-out loss" : "Training loss") + (group.name.map { " (\($0))" } ?? ""),
                                 xLabel: "epoch", yLabel: (hasHeldout ? "loss (" : "training loss (") + "\(lossName)mean over batches)", series: series)
            chart.logY = true
            document.add(.svg(name: "loss-\(number)", text: chart.svg,
                              caption: "Training loss per epoch (log scale): the mean batch loss of each epoch, penalties included, "
                                  + "first repeat of each cell" + (group.name.map { ", variant \($0)" } ?? "") + "."
                                  + (hasHeldout ? " Dashed: the loss on the evaluation data (clean inputs, no penalties) where it was taken." : "")))
        }
    }
}
