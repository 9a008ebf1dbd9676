import Foundation

/// `metrics.csv`: one row per epoch (epoch, mean batch loss, seconds of
/// training so far, then with `full_loss` the full-data loss and with
/// `heldout_loss` the loss on the evaluation data, each where it was
/// computed, else empty). Rows are buffered and flushed with each checkpoint;
/// on resume, rows after the checkpoint's epoch are dropped, since the
/// resumed run writes them again.
final class MetricsLog {
    let path: String
    let hasFullLoss: Bool
    let hasHeldoutLoss: Bool
    private var pending = ""

    /// Opens the log for a run resuming after `epoch` (0 for a fresh run).
    init(path: String, resumingAfter epoch: Int, fullLoss: Bool, heldoutLoss: Bool) throws {
        self.path = path
        hasFullLoss = fullLoss
        hasHeldoutLoss = heldoutLoss
        var kept = ["epoch,loss,seconds" + (fullLoss ? ",full_loss" : "") + (heldoutLoss ? ",heldout_loss" : "")]
        if epoch > 0, let existing = try? String(contentsOfFile: path, encoding: .utf8) {
            kept += existing.split(separator: "\n").dropFirst().filter { line in
                Int(line.prefix { $0 != "," }).map { $0 <= epoch } ?? false
            }.map(String.init)
        }
        do {
            try (kept.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw RunError("\(path): cannot write the metrics log (\(error.localizedDescription))")
        }
    }

    func append(epoch: Int, loss: Double, seconds: Double, fullLoss: Double?, heldoutLoss: Double?) {
        pending += "\(epoch),\(loss),\(String(format: "%.3f", seconds))"
        if hasFullLoss { pending += "," + (fullLoss.map { "\($0)" } ?? "") }
        if hasHeldoutLoss { pending += "," + (heldoutLoss.map { "\($0)" } ?? "") }
        pending += "\n"
    }

    func flush() throws {
        guard !pending.isEmpty else { return }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw RunError("\(path): cannot open the metrics log for appending")
        }
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        handle.write(Data(pending.utf8))
        pending = ""
    }
}
