import Foundation

/// What `aelab sweep` shows while it runs: points done, running and pending,
/// the ETA, and each running point's latest progress line (from its log).
/// On a terminal the status block redraws in place, every line cut to the
/// terminal's width so none wraps (a wrapped line would be left behind by
/// the next redraw); elsewhere a plain status line is printed every
/// `plainInterval` seconds and at each event.
public final class SweepProgressDisplay {
    private let isTerminal: Bool
    private let write: (String) -> Void
    private let columns: () -> Int
    private var drawnLines = 0
    private var total = 0
    private var lastPlain: Double = -.infinity
    public var plainInterval = 30.0

    public init(isTerminal: Bool = isatty(STDOUT_FILENO) != 0,
                write: @escaping (String) -> Void = { text in print(text, terminator: ""); fflush(nil) },
                columns: @escaping () -> Int = TerminalWidth.current) {
        self.isTerminal = isTerminal
        self.write = write
        self.columns = columns
    }

    func begin(plan: SweepPlan, alreadyComplete: Int, jobs: Int) {
        total = plan.points.count
        let shape = [plan.variants.isEmpty ? nil : "\(plan.variants.count) variants",
                     plan.gridKeys.isEmpty ? nil : "\(plan.points.count / max(plan.variants.count, 1) / plan.repeats) grid cells",
                     "\(plan.repeats) repeat\(plan.repeats == 1 ? "" : "s")"].compactMap { $0 }.joined(separator: " x ")
        event("sweep \(plan.name): \(total) points (\(shape)), \(alreadyComplete) already complete, \(jobs) at a time")
    }

    func started(_ point: SweepPoint) {
        if !isTerminal { event("started  [\(point.index)] \(point.label)") }
    }

    func finished(_ point: SweepPoint, status: Int32) {
        switch status {
        case 0: event("finished [\(point.index)] \(point.label)")
        case SweepScheduler.heldElsewhereStatus: event("skipped  [\(point.index)] \(point.label): another process is running it")
        default: event("FAILED   [\(point.index)] \(point.label) (exit status \(status))")
        }
    }

    /// `running`: each running point with the latest line of its log.
    func refresh(done: Int, failed: Int, running: [(SweepPoint, String)], pending: Int, elapsed: Double, secondsLeft: Double?) {
        // The ETA early, so a narrow terminal still shows it.
        let status = "\(done)/\(total) done  ETA \(secondsLeft.map(ProgressReporter.duration) ?? "--:--")  "
            + "\(running.count) running, \(pending) pending" + (failed > 0 ? ", \(failed) failed" : "")
            + "  elapsed \(ProgressReporter.duration(elapsed))"
        if isTerminal {
            let width = columns()
            let lines = ([status] + running.map { point, line in "  [\(point.index)] \(point.label): \(line)" })
                .map { TerminalWidth.fit($0, columns: width) }
            clearBlock()
            write(lines.map { $0 + "\n" }.joined())
            drawnLines = lines.count
        } else if elapsed - lastPlain >= plainInterval {
            lastPlain = elapsed
            write(status + "\n")
        }
    }

    func end() {
        drawnLines = 0
    }

    private func event(_ line: String) {
        clearBlock()
        write((isTerminal ? TerminalWidth.fit(line, columns: columns()) : line) + "\n")
        drawnLines = 0
    }

    private func clearBlock() {
        guard isTerminal, drawnLines > 0 else { return }
        write(String(repeating: "\u{1B}[1A\u{1B}[2K", count: drawnLines) + "\r")
        drawnLines = 0
    }

    /// The last non-empty line of a log, read from its last few kilobytes.
    static func lastLine(of path: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let size = handle.seekToEndOfFile()
        handle.seek(toFileOffset: size > 4096 ? size - 4096 : 0)
        let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        let line = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return line.map { String($0).replacingOccurrences(of: "\u{1B}[2K", with: "") } ?? "starting"
    }

    /// The seconds left that a progress line's "ETA m:ss" (or h:mm:ss) gives; nil when it gives none.
    static func secondsLeft(inLine line: String) -> Double? {
        guard let range = line.range(of: "ETA ") else { return nil }
        let fields = line[range.upperBound...].prefix { $0.isNumber || $0 == ":" }.split(separator: ":").compactMap { Double($0) }
        guard (2...3).contains(fields.count) else { return nil }
        return fields.reduce(0) { $0 * 60 + $1 }
    }
}
