import Foundation

/// The files of one run: the resolved config, metrics and checkpoints, and
/// the lock that keeps a second process off the run.
public struct RunDirectory: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public var configPath: String { file("config.yaml") }
    public var metricsPath: String { file("metrics.csv") }
    public var lastCheckpointPath: String { file("last.h5") }
    public var bestCheckpointPath: String { file("best.h5") }
    /// The weights before the first step (epoch 0), for analyses of the initialisation.
    public var initialCheckpointPath: String { file("init.h5") }
    /// Held, with its PID in it, by the process training and analysing the run.
    public var lockPath: String { file(".lock") }

    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    public var exists: Bool { FileManager.default.fileExists(atPath: configPath) }
    public var hasCheckpoint: Bool { FileManager.default.fileExists(atPath: lastCheckpointPath) }
    /// Written once training reached its last epoch and the analyses are saved.
    public var completeMarkerPath: String { file("complete") }
    public var isComplete: Bool { FileManager.default.fileExists(atPath: completeMarkerPath) }

    func markComplete() throws {
        do {
            try "".write(toFile: completeMarkerPath, atomically: true, encoding: .utf8)
        } catch {
            throw RunError("\(completeMarkerPath): cannot mark the run complete (\(error.localizedDescription))")
        }
    }

    /// Refuses, before anything is written, a path that is neither missing,
    /// nor an empty directory, nor a run of the experiment whose resolved config is `yaml`.
    public func checkCanHold(resolvedConfigYAML yaml: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw RunError("\(path): is a file, not a run directory; name a new or empty directory") }
        if exists {
            let stored = (try? String(contentsOfFile: configPath, encoding: .utf8)) ?? ""
            // Both sides are resolved configs written by the same code, so equal
            // experiments have equal text; a difference is shown at its first line.
            if let difference = FirstDifference(stored, yaml) {
                throw RunError("\(configPath):\(difference.line): this run directory holds a different experiment ('\(difference.was)', now '\(difference.now)'); name another run directory or remove this one")
            }
            return
        }
        let contents = try entries().filter { $0 != ".lock" && !Self.isTemporaryFile($0) }
        guard contents.isEmpty else {
            let shown = contents.prefix(5).joined(separator: ", ") + (contents.count > 5 ? ", ..." : "")
            throw RunError("\(path): is not a run directory (no config.yaml) and is not empty (it holds \(shown)); name a new or empty directory")
        }
    }

    /// Creates the directory (and its parents) if missing.
    func createDirectory() throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw RunError("\(path): cannot create the run directory (\(error.localizedDescription))")
        }
    }

    /// Writes the resolved config (atomically), creating the directory if missing.
    public func create(resolvedConfigYAML: String) throws {
        try createDirectory()
        do {
            try resolvedConfigYAML.write(toFile: configPath, atomically: true, encoding: .utf8)
        } catch {
            throw RunError("\(configPath): cannot write the resolved config (\(error.localizedDescription))")
        }
    }

    /// Removes what a killed writer left: `<file>.tmp-<pid>`. Only the lock's
    /// holder writes into the run, so under the lock every such file is stale.
    func removeTemporaryFiles() throws {
        for name in try entries() where Self.isTemporaryFile(name) {
            do {
                try FileManager.default.removeItem(atPath: file(name))
            } catch {
                throw RunError("\(file(name)): cannot remove this file a killed run left (\(error.localizedDescription))")
            }
        }
    }

    static func isTemporaryFile(_ name: String) -> Bool {
        guard let marker = name.range(of: ".tmp-", options: .backwards), marker.lowerBound > name.startIndex else { return false }
        let pid = name[marker.upperBound...]
        return !pid.isEmpty && pid.allSatisfy(\.isNumber)
    }

    private func entries() throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        } catch {
            throw RunError("\(path): cannot list the directory (\(error.localizedDescription))")
        }
    }
}
