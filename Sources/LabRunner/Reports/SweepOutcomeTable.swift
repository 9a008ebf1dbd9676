import Foundation

/// The table `aelab sweep` ends with: each point's final loss, training
/// time and attractors (study's rule / strict), or why it has none.
public enum SweepOutcomeTable {
    /// `failed`: the labels of points whose worker failed, with their logs.
    public static func lines(plan: SweepPlan, runDirectory: (SweepPoint) -> RunDirectory, failed: [String: String]) -> [String] {
        let rows = plan.points.map { point -> [String] in
            let record = try? RunRecord(run: runDirectory(point))
            let loss = record?.finalLoss.map { String(format: "%.4g", $0) } ?? "-"
            let seconds = record?.trainingSeconds.map { String(format: "%.1f", $0) } ?? "-"
            let outcome: String
            if let log = failed[point.label] {
                outcome = "failed: see \(log)"
            } else if record?.isComplete != true {
                outcome = "not complete"
            } else if let study = record?.counts["attractors"] {
                outcome = String(format: "%.0f / %.0f", study, record?.counts["strict_attractors"] ?? .nan)
            } else {
                outcome = "-"
            }
            return ["\(point.index)", point.label, loss, seconds, outcome]
        }
        return TextTable.lines([["point", "run", "final loss", "train s", "attractors (study / strict)"]] + rows)
    }
}
