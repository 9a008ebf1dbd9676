import LabCore
import Yams

/// A key written twice in one YAML mapping. The YAML library says only where
/// the first one is; people need the second, so it is found in the text: the
/// next occurrence of the key in the same flow mapping on that line, or the
/// next line at the same indentation before the block mapping ends.
struct DuplicateKey {
    let key: String
    let first: Mark
    let text: String

    func error(file: String) -> ConfigError {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let (line, column) = secondOccurrence(in: lines) ?? (first.line, first.column)
        let context = lines.indices.contains(line - 1) ? lines[line - 1].trimmingCharacters(in: .whitespaces) : ""
        let shown = context.count > 60 ? String(context.prefix(60)) + "…" : context
        let firstText = line == first.line ? "column \(first.column)" : "line \(first.line)"
        return ConfigError(location: SourceLocation(file: file, line: line, column: column), keyPath: "",
                           message: "key '\(key)' appears twice in one mapping (first at \(firstText)): \(shown)",
                           allowed: "each key once per mapping")
    }

    /// 1-based line and column of the key's second appearance, if the text shows it.
    private func secondOccurrence(in lines: [String]) -> (Int, Int)? {
        guard lines.indices.contains(first.line - 1) else { return nil }
        let firstLine = Array(lines[first.line - 1])
        let after = min(first.column - 1 + key.count, firstLine.count)
        if let column = flowKeyColumn(in: firstLine, from: after) { return (first.line, column) }
        let indent = first.column - 1
        for index in first.line..<lines.count {
            let line = Array(lines[index])
            let leading = line.prefix { $0 == " " || $0 == "-" }.count
            let rest = line.dropFirst(leading)
            if rest.isEmpty || rest.first == "#" { continue }
            if leading < indent { return nil }
            if leading == indent, startsWithKey(rest) { return (index + 1, indent + 1) }
        }
        return nil
    }

    /// Column of `key:` after a `{` or `,` at or after `start`, in a flow mapping.
    private func flowKeyColumn(in line: [Character], from start: Int) -> Int? {
        var index = start
        while index < line.count {
            if line[index] == "," || line[index] == "{" {
                var keyStart = index + 1
                while keyStart < line.count, line[keyStart] == " " { keyStart += 1 }
                if startsWithKey(line[keyStart...]) { return keyStart + 1 }
            }
            index += 1
        }
        return nil
    }

    private func startsWithKey(_ text: ArraySlice<Character>) -> Bool {
        let candidates = [key, "\"\(key)\"", "'\(key)'"]
        return candidates.contains { candidate in
            guard text.starts(with: candidate) else { return false }
            return text.dropFirst(candidate.count).drop { $0 == " " }.first == ":"
        }
    }
}
