import Foundation

/// The training progress line: epoch, loss, steps per second and ETA.
/// On a terminal it redraws one line in place (at most ten times a second);
/// elsewhere (logs, CI) it prints a plain line every tenth of the run.
public final class ProgressReporter {
    private let totalEpochs: Int
    private let isTerminal: Bool
    private let write: (String) -> Void
    private var lastDraw: ContinuousClock.Instant?
    private var lastPlainEpoch = 0

    public init(totalEpochs: Int, isTerminal: Bool = isatty(STDOUT_FILENO) != 0,
                write: @escaping (String) -> Void = { text in print(text, terminator: ""); fflush(nil) }) {
        self.totalEpochs = totalEpochs
        self.isTerminal = isTerminal
        self.write = write
    }

    public func update(epoch: Int, loss: Double, stepsPerSecond: Double, secondsLeft: Double) {
        let line = "epoch \(epoch)/\(totalEpochs)  loss \(String(format: "%.6g", loss))  "
            + "\(String(format: "%.1f", stepsPerSecond)) steps/s  ETA \(Self.duration(secondsLeft))"
        if isTerminal {
            let now = ContinuousClock.now
            if let lastDraw, now - lastDraw < .milliseconds(100), epoch != totalEpochs { return }
            lastDraw = now
            write("\r\u{1B}[2K" + line)
            if epoch == totalEpochs { write("\n") }
        } else {
            let interval = max(1, totalEpochs / 10)
            guard epoch - lastPlainEpoch >= interval || epoch == totalEpochs else { return }
            lastPlainEpoch = epoch
            write(line + "\n")
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
