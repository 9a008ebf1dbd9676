/// Where two texts first differ, line by line: how a config that changed is
/// shown, at the line that changed rather than as two whole files.
struct FirstDifference {
    /// 1-based.
    var line: Int
    var was: String
    var now: String

    /// Nil when the texts are equal.
    init?(_ old: String, _ new: String) {
        guard old != new else { return nil }
        let oldLines = old.split(separator: "\n", omittingEmptySubsequences: false)
        let newLines = new.split(separator: "\n", omittingEmptySubsequences: false)
        let index = zip(oldLines, newLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(oldLines.count, newLines.count)
        line = index + 1
        was = index < oldLines.count ? oldLines[index].trimmingCharacters(in: .whitespaces) : "(end of file)"
        now = index < newLines.count ? newLines[index].trimmingCharacters(in: .whitespaces) : "(end of file)"
    }
}
