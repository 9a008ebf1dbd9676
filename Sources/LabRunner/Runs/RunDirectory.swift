import Foundation

/// The files of one run: the resolved config, metrics and checkpoints.
public struct RunDirectory: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public var configPath: String { file("config.yaml") }
    public var metricsPath: String { file("metrics.csv") }
    public var lastCheckpointPath: String { file("last.h5") }
    public var bestCheckpointPath: String { file("best.h5") }

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

    /// Creates the directory and writes the resolved config (atomically).
    public func create(resolvedConfigYAML: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try resolvedConfigYAML.write(toFile: configPath, atomically: true, encoding: .utf8)
        } catch {
            throw RunError("\(path): cannot create the run directory (\(error.localizedDescription))")
        }
    }
}
