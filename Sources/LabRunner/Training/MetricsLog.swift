import Foundation

/// `metrics.csv`: one row per epoch (epoch, loss, seconds of training so far).
/// Rows are buffered and flushed with each checkpoint; on resume, rows after
/// the checkpoint's epoch are dropped, since the resumed run writes them again.
final class MetricsLog {
    static let header = "epoch,loss,seconds"
    let path: String
    private var pending = ""

    /// Opens the log for a run resuming after `epoch` (0 for a fresh run).
    init(path: String, resumingAfter epoch: Int) throws {
        self.path = path
        var kept = [Self.header]
        if epoch > 0, let existing = try? String(contentsOfFile: path, encoding: .utf8) {
            kept += existing.split(separator: "\n").dropFirst().filter { line in
                Int(line.prefix { $0 != "," }).map { $0 <= epoch } ?? false
            }.map(String.init)
        }
        do {
            try (kept.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw RunnerError("\(path): cannot write the metrics log (\(error.localizedDescription))")
        }
    }

    func append(epoch: Int, loss: Double, seconds: Double) {
        pending += "\(epoch),\(loss),\(String(format: "%.3f", seconds))\n"
    }

    func flush() throws {
        guard !pending.isEmpty else { return }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw RunnerError("\(path): cannot open the metrics log for appending")
        }
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        handle.write(Data(pending.utf8))
        pending = ""
    }
}
