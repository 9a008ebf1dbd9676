import Foundation
import LabCore
import LabIO

/// A run's analysis results, the one place they are written and read:
/// `results.json` (the records: summaries, declared tables and charts) and
/// `results.h5` (each analysis's arrays under `/analyses/<name>/`, its
/// summary also as the group's `summary` attribute, for h5py users).
public struct ResultsFile {
    public let run: RunDirectory

    public init(run: RunDirectory) { self.run = run }

    public var jsonPath: String { run.file("results.json") }
    public var hdf5Path: String { run.file("results.h5") }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }()

    /// Writes both files, the arrays first: results.json appears only once the arrays it describes are there.
    public func write(_ results: RunResults, arrays: [String: [(name: String, tensor: Tensor)]]) throws {
        try HDF5File.writeAtomically(hdf5Path) { file in
            try file.setAttribute("checkpoint", results.checkpoint)
            try file.setAttribute("epoch", Int64(results.epoch))
            for record in results.analyses {
                let group = "/analyses/\(record.name)"
                try file.createGroup(group)
                try file.setAttribute("summary", String(decoding: try Self.encoder.encode(ConfigValue.map(record.summary)), as: UTF8.self), on: group)
                for (name, tensor) in arrays[record.name] ?? [] { try file.write(tensor, at: "\(group)/\(name)") }
            }
        }
        do {
            try (try Self.encoder.encode(results) + Data("\n".utf8)).write(to: URL(fileURLWithPath: jsonPath), options: .atomic)
        } catch {
            throw RunError("\(jsonPath): cannot write the results (\(error.localizedDescription))")
        }
    }

    /// The run's results; nil when it has none yet.
    public func read() throws -> RunResults? {
        guard let data = FileManager.default.contents(atPath: jsonPath) else { return nil }
        do {
            return try JSONDecoder().decode(RunResults.self, from: data)
        } catch {
            throw RunError("\(jsonPath): not an analysis results file (\(error))")
        }
    }

    /// One array of one analysis; nil when the run has no such array.
    public func array(_ name: String, of analysis: String) throws -> Tensor? {
        guard FileManager.default.fileExists(atPath: hdf5Path) else { return nil }
        let file = try HDF5File.openForReading(hdf5Path)
        defer { try? file.close() }
        let path = "/analyses/\(analysis)/\(name)"
        return file.exists(path) ? try file.readTensor(at: path) : nil
    }
}
