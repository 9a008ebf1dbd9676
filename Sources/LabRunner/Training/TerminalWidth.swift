import CKernels
import Foundation

/// How many columns a line may take on standard output: the terminal's
/// width (asked each time, so a resized window is followed), else
/// `$COLUMNS`, else 80. Lines one column short of it never wrap.
public enum TerminalWidth {
    public static func current() -> Int {
        let columns = aelab_terminal_columns(STDOUT_FILENO)
        if columns > 0 { return Int(columns) }
        return ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? 80
    }

    /// `line` cut to fit `columns - 1` characters, with an ellipsis where it was cut.
    public static func fit(_ line: String, columns: Int) -> String {
        let room = max(columns - 1, 1)
        guard line.count > room else { return line }
        return room > 1 ? String(line.prefix(room - 1)) + "…" : String(line.prefix(room))
    }
}
