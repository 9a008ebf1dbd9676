import Foundation

/// The training progress line: epoch, a bar with the percent done, loss,
/// steps per second and ETA. On a terminal it redraws one line in place (at
/// most ten times a second), cut to the terminal's width so it never wraps;
/// elsewhere (logs, CI) it prints a plain line every tenth of the run.
public final class ProgressReporter {
    private let totalEpochs: Int
    private let isTerminal: Bool
    private let write: (String) -> Void
    private let columns: () -> Int
    private var lastDraw: ContinuousClock.Instant?
    private var lastPlainEpoch = 0

    public init(totalEpochs: Int, isTerminal: Bool = isatty(STDOUT_FILENO) != 0,
                write: @escaping (String) -> Void = { text in print(text, terminator: ""); fflush(nil) },
                columns: @escaping () -> Int = TerminalWidth.current) {
        self.totalEpochs = totalEpochs
        self.isTerminal = isTerminal
        self.write = write
        self.columns = columns
    }

    /// The line for `columns` columns (nil: a log's plain line): the bar goes first when room is short, then the tail is cut.
    static func line(epoch: Int, of total: Int, loss: Double, stepsPerSecond: Double, secondsLeft: Double, columns: Int?) -> String {
        let fraction = total > 0 ? min(max(Double(epoch) / Double(total), 0), 1) : 1
        let percent = String(format: "%3d%%", Int((fraction * 100).rounded(.down)))
        let tail = "  loss \(String(format: "%.6g", loss))  \(String(format: "%.1f", stepsPerSecond)) steps/s  ETA \(duration(secondsLeft))"
        let head = "epoch \(epoch)/\(total) "
        // Logs keep the plain line (the sweep's display reads it back).
        guard let columns else { return "epoch \(epoch)/\(total)" + tail }
        let barWidth = min(30, columns - 1 - head.count - percent.count - tail.count - 3)
        guard barWidth >= 5 else { return TerminalWidth.fit(head + percent + tail, columns: columns) }
        let filled = Int((fraction * Double(barWidth)).rounded(.down))
        let bar = "[" + String(repeating: "█", count: filled) + String(repeating: "·", count: barWidth - filled) + "] "
        return head + bar + percent + tail
    }

    public func update(epoch: Int, loss: Double, stepsPerSecond: Double, secondsLeft: Double) {
        if isTerminal {
            let now = ContinuousClock.now
            if let lastDraw, now - lastDraw < .milliseconds(100), epoch != totalEpochs { return }
            lastDraw = now
            write("\r\u{1B}[2K" + Self.line(epoch: epoch, of: totalEpochs, loss: loss, stepsPerSecond: stepsPerSecond,
                                              secondsLeft: secondsLeft, columns: columns()))
            if epoch == totalEpochs { write("\n") }
        } else {
            let interval = max(1, totalEpochs / 10)
            guard epoch - lastPlainEpoch >= interval || epoch == totalEpochs else { return }
            lastPlainEpoch = epoch
            write(Self.line(epoch: epoch, of: totalEpochs, loss: loss, stepsPerSecond: stepsPerSecond, secondsLeft: secondsLeft,
                            columns: nil) + "\n")
        }
    }

    public func message(_ text: String) {
        write((isTerminal ? "\r\u{1B}[2K" : "") + text + "\n")
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--:--" }
        let total = Int(seconds.rounded())
        let (hours, minutes, secs) = (total / 3600, (total % 3600) / 60, total % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
    }
}
