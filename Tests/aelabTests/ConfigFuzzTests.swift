import Foundation
import Testing
import TestSupport

/// Every shipped config, mutated the ways people and accidents do (a key
/// deleted, doubled or misspelt, a value made huge, negative, zero, text, a
/// list, a map or nothing, the file cut short, an alias bomb, bytes that are
/// not text), goes through `aelab check` in its own process, and what it
/// accepts through one epoch of `aelab run`: each must exit 0, or exit 1
/// with a message naming the file, within seconds; never a signal. Seeded,
/// so a failure reproduces.
@Suite struct ConfigFuzzTests {
    enum Outcome { case accepted, cleanError, crash, hang, unclear }

    struct Case: Sendable {
        let config: String
        let mutation: String
        let text: Data
        /// `--set` arguments for `aelab check`.
        let overrides: [String]
    }

    static let configsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Configs").path
    static let timeoutSeconds = 60.0

    @Test func mutatedShippedConfigsNeverCrashOrHang() throws {
        let folder = TemporaryDirectory()
        let miniature = folder.file("fashion-mnist")
        try Self.writeMiniatureFashionMNIST(to: miniature)
        let cases = try Self.cases(seed: 2026, dataFolder: miniature)
        let outcomes = try run(cases, in: folder)
        var counts: [Outcome: Int] = [:]
        for outcome in outcomes { counts[outcome.outcome, default: 0] += 1 }
        print("config fuzz: \(cases.count) cases tried, \(counts[.cleanError] ?? 0) clean errors, \(counts[.accepted] ?? 0) accepted, "
              + "\(counts[.crash] ?? 0) crashes, \(counts[.hang] ?? 0) hangs, \(counts[.unclear] ?? 0) unclear messages")
        #expect(cases.count >= 250)
        for (index, result) in outcomes.enumerated() where result.outcome != .accepted && result.outcome != .cleanError {
            Issue.record("\(result.outcome): \(cases[index].config), \(cases[index].mutation): \(result.errors.prefix(400))")
        }
        #expect(counts[.cleanError] ?? 0 > cases.count / 2, "most mutations must be refused")
    }

    // MARK: cases

    static func cases(seed: UInt64, dataFolder: String) throws -> [Case] {
        var rng = SplitMix(state: seed)
        let files = try FileManager.default.subpathsOfDirectory(atPath: configsFolder).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count >= 15, "shipped configs under \(configsFolder)")
        var cases: [Case] = []
        for file in files {
            let text = smaller(try String(contentsOfFile: (configsFolder as NSString).appendingPathComponent(file), encoding: .utf8),
                               dataFolder: dataFolder)
            for mutation in Mutation.allCases {
                let (description, mutated) = mutation.apply(to: text, using: &rng)
                cases.append(Case(config: file, mutation: description, text: mutated, overrides: overrides(for: mutated, dataFolder: dataFolder)))
            }
        }
        return cases
    }

    /// Reading the whole Fashion-MNIST split takes seconds in a debug build,
    /// and each sweep point reads its data again: the configs read a
    /// miniature copy (its first 100 images) instead, `first: 32` in place of
    /// `per_class`, and one repeat; the checks are the same.
    static func smaller(_ text: String, dataFolder: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            if line == "  per_class: 10" { return "  first: 32" }
            if line == "  type: fashion_mnist" { return "  type: fashion_mnist\n  directory: \(dataFolder)" }
            if line.hasPrefix("  repeats: ") { return "  repeats: 1" }
            guard line.hasPrefix("data: {type: fashion_mnist") else { return String(line) }
            let keys = line.dropLast(line.hasSuffix("}") ? 1 : 0).split(separator: ",").map { $0.contains("per_class:") ? " first: 32" : $0 }
            return keys.joined(separator: ",") + ", directory: \(dataFolder)}"
        }.joined(separator: "\n")
    }

    /// The miniature again when a mutation took its `directory` away.
    static func overrides(for text: Data, dataFolder: String) -> [String] {
        let config = String(decoding: text, as: UTF8.self)
        guard config.contains("fashion_mnist"), !config.contains("directory: \(dataFolder)") else { return [] }
        return ["--set", "data.directory=\(dataFolder)"]
    }

    /// The first 100 images and labels of Fashion-MNIST's training split, as plain IDX files.
    static func writeMiniatureFashionMNIST(to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let source = "/usr/share/datasets/fashion-mnist"
        for (stem, header, recordSize) in [("train-images-idx3-ubyte", 16, 784), ("train-labels-idx1-ubyte", 8, 1)] {
            let gunzip = Process()
            gunzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
            gunzip.arguments = ["-dc", "\(source)/\(stem).gz"]
            let output = Pipe()
            gunzip.standardOutput = output
            try gunzip.run()
            var bytes = [UInt8](output.fileHandleForReading.readDataToEndOfFile())
            gunzip.waitUntilExit()
            try #require(bytes.count >= header + 100 * recordSize, "\(source)/\(stem).gz")
            bytes = Array(bytes.prefix(header + 100 * recordSize))
            bytes.replaceSubrange(4..<8, with: [0, 0, 0, 100])
            try Data(bytes).write(to: URL(fileURLWithPath: "\(folder)/\(stem)"))
        }
    }

    enum Mutation: CaseIterable {
        case deleteKey, duplicateKey, renameKey, huge, largestInteger, negative, zero, text, list, nestedMap, empty,
             overflowingNumber, hugeShape, truncate, aliasBomb, notText, tab

        func apply(to text: String, using rng: inout SplitMix) -> (String, Data) {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let keyLines = lines.indices.filter { Self.key(of: lines[$0]) != nil }
            let line = keyLines.isEmpty ? 0 : keyLines[rng.below(keyLines.count)]
            func replacingValue(_ value: String) -> (String, Data) {
                let targets = Self.values(in: lines[line])
                guard !targets.isEmpty else { return ("line \(line + 1): no value", Data(text.utf8)) }
                let range = targets[rng.below(targets.count)]
                let old = String(lines[line][range])
                lines[line].replaceSubrange(range, with: value)
                return ("line \(line + 1): \(old) -> \(value)", Data(lines.joined(separator: "\n").utf8))
            }
            switch self {
            case .deleteKey:
                let removed = lines.remove(at: line)
                return ("delete line \(line + 1) '\(removed)'", Data(lines.joined(separator: "\n").utf8))
            case .duplicateKey:
                lines.insert(lines[line], at: line + 1)
                return ("duplicate line \(line + 1)", Data(lines.joined(separator: "\n").utf8))
            case .renameKey:
                guard let key = Self.key(of: lines[line]), key.count > 1 else { return ("no key", Data(text.utf8)) }
                let typo = String(key.dropLast()) + "x"
                lines[line] = lines[line].replacingOccurrences(of: key + ":", with: typo + ":")
                return ("line \(line + 1): \(key) -> \(typo)", Data(lines.joined(separator: "\n").utf8))
            case .huge: return replacingValue("1e12")
            case .largestInteger: return replacingValue("9223372036854775807")
            case .negative: return replacingValue("-1")
            case .zero: return replacingValue("0")
            case .text: return replacingValue("abc")
            case .list: return replacingValue("[1, [2, 3]]")
            case .nestedMap: return replacingValue("{a: {b: 1}}")
            case .empty: return replacingValue("")
            case .overflowingNumber: return replacingValue("1e400")
            case .hugeShape: return replacingValue("[4294967296, 4294967296, 4294967296]")
            case .truncate:
                let bytes = Array(text.utf8)
                let cut = rng.below(max(bytes.count, 1))
                return ("cut at byte \(cut)", Data(bytes.prefix(cut)))
            case .aliasBomb:
                let bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"] + (1..<9).map { "\(Character(UnicodeScalar(97 + $0)!)): &\(Character(UnicodeScalar(97 + $0)!)) "
                    + "[" + Array(repeating: "*\(Character(UnicodeScalar(96 + $0)!))", count: 10).joined(separator: ", ") + "]" }
                lines.insert(contentsOf: bomb, at: line)
                return ("alias bomb at line \(line + 1)", Data(lines.joined(separator: "\n").utf8))
            case .notText:
                var bytes = Array(lines.joined(separator: "\n").utf8)
                bytes.insert(contentsOf: [0xff, 0xfe, 0x00], at: rng.below(max(bytes.count, 1)))
                return ("invalid UTF-8", Data(bytes))
            case .tab:
                lines[line] = "\t" + lines[line]
                return ("tab before line \(line + 1)", Data(lines.joined(separator: "\n").utf8))
            }
        }

        /// The key a line starts with (`  width: 32`, `- type: dense`), if any.
        static func key(of line: String) -> String? {
            let trimmed = line.drop { $0 == " " || $0 == "-" }
            guard let colon = trimmed.firstIndex(of: ":"), !trimmed.hasPrefix("#") else { return nil }
            let key = trimmed[..<colon]
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) else { return nil }
            return String(key)
        }

        /// Ranges of the scalar values on a line: after `key: ` up to `,`, `}` or the line's end.
        static func values(in line: String) -> [Range<String.Index>] {
            var ranges: [Range<String.Index>] = []
            var index = line.startIndex
            while let colon = line[index...].firstIndex(of: ":") {
                var start = line.index(after: colon)
                while start < line.endIndex, line[start] == " " { start = line.index(after: start) }
                guard start < line.endIndex else { break }
                let end = line[start...].firstIndex { ",}#".contains($0) } ?? line.endIndex
                if line[start] != "{", line[start] != "#", start < end { ranges.append(start..<end) }
                index = start
            }
            return ranges
        }
    }

    // MARK: running

    struct Result {
        var outcome: Outcome
        var errors: String
    }

    /// The cases on two processes at a time, each in its own folder.
    func run(_ cases: [Case], in folder: TemporaryDirectory) throws -> [Result] {
        let results = ResultList(count: cases.count)
        let path = folder.path
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for index in stride(from: worker, to: cases.count, by: 2) {
                results.set(index, Self.runOne(cases[index], index: index, in: path))
            }
        }
        return results.values
    }

    /// `aelab check` on the case; a config it accepts (a sweep aside) is then
    /// trained for one epoch by `aelab run` (analyses left out: they are slow in a debug
    /// build and their composition is what `check` tried), for faults that
    /// only training meets.
    static func runOne(_ fuzzCase: Case, index: Int, in folder: String) -> Result {
        let directory = (folder as NSString).appendingPathComponent("case-\(index)")
        let name = (fuzzCase.config as NSString).lastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try fuzzCase.text.write(to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent(name)))
            let checked = try launch(["check", name] + fuzzCase.overrides, file: name, in: directory)
            // A sweep's points are what `check` composed; training them all would take minutes.
            let isSweep = String(decoding: fuzzCase.text, as: UTF8.self).split(separator: "\n").contains { $0.hasPrefix("sweep:") }
            guard checked.outcome == .accepted, !isSweep else { return checked }
            return try launch(["run", name, "--set", "training.epochs=1", "--set", "analyses=[]", "--runs-dir", "runs", "--threads", "1"]
                              + fuzzCase.overrides, file: name, in: directory)
        } catch {
            return Result(outcome: .unclear, errors: "could not run: \(error)")
        }
    }

    static func launch(_ arguments: [String], file name: String, in directory: String) throws -> Result {
        let process = Process()
        process.executableURL = AelabProcess.executable
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let errorFile = (directory as NSString).appendingPathComponent("stderr-\(arguments[0])")
        guard FileManager.default.createFile(atPath: errorFile, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorFile))
        try process.run()
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while process.isRunning && Date() < deadline { usleep(2_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return Result(outcome: .hang, errors: "aelab \(arguments[0]) still running after \(timeoutSeconds) s")
        }
        let errors = (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? ""
        if process.terminationReason == .uncaughtSignal {
            return Result(outcome: .crash, errors: "aelab \(arguments[0]): signal \(process.terminationStatus): \(errors)")
        }
        if process.terminationStatus == 0 { return Result(outcome: .accepted, errors: "") }
        // Every line names the file (those about one value, at its line), or the --set it is about.
        let lines = errors.split(separator: "\n")
        let clear = process.terminationStatus == 1 && !lines.isEmpty && lines.allSatisfy { $0.contains(name) || $0.hasPrefix("--set ") }
        return Result(outcome: clear ? .cleanError : .unclear, errors: "aelab \(arguments[0]): exit \(process.terminationStatus): \(errors)")
    }

    /// Results written from two threads, each index once.
    final class ResultList: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [Result]

        init(count: Int) { results = Array(repeating: Result(outcome: .unclear, errors: "not run"), count: count) }

        func set(_ index: Int, _ result: Result) {
            lock.lock()
            results[index] = result
            lock.unlock()
        }

        var values: [Result] {
            lock.lock()
            defer { lock.unlock() }
            return results
        }
    }

    /// A small seeded generator (SplitMix64), so the cases are the same every run.
    struct SplitMix {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }

        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }
}
