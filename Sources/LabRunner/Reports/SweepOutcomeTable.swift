import Foundation

/// The table `aelab sweep` ends with: each point's final loss (and final
/// held-out loss, when the points have one), training time and attractors
/// (study's rule / strict), or why it has none.
public enum SweepOutcomeTable {
    /// `failed`: the labels of points whose worker failed, with their logs.
    public static func lines(plan: SweepPlan, runDirectory: (SweepPoint) -> RunDirectory, failed: [String: String]) -> [String] {
        let records = plan.points.map { try? RunRecord(run: runDirectory($0)) }
        let hasHeldout = records.contains { $0?.finalHeldoutLoss != nil }
        let rows = zip(plan.points, records).map { point, record -> [String] in
            let loss = record?.finalLoss.map { String(format: "%.4g", $0) } ?? "-"
            let heldout = hasHeldout ? [record?.finalHeldoutLoss.map { String(format: "%.4g", $0) } ?? "-"] : []
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
            return ["\(point.index)", point.label, loss] + heldout + [seconds, outcome]
        }
        let header = ["point", "run", "final loss"] + (hasHeldout ? ["held-out loss"] : []) + ["train s", "attractors (study / strict)"]
        return TextTable.lines([header] + rows)
    }
}
