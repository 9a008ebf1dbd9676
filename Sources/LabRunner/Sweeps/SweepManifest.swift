import Foundation

/// `sweep.json` in the sweep directory: what each run directory holds
/// (variant, grid values, repeat, seed), so `aelab report` can gather the
/// runs into tables wherever they were trained.
public struct SweepManifest: Codable, Sendable {
    public struct Point: Codable, Sendable {
        public var index: Int
        public var directory: String
        public var variant: String?
        public var values: [String]
        public var repeatIndex: Int
        public var seed: Int
    }

    public var name: String
    public var configFile: String
    public var gridKeys: [String]
    public var variants: [String]
    public var repeats: Int
    public var points: [Point]
    /// The report's study tables: which grid keys are rows and columns.
    public var layout: ReportLayout?
    /// The report's charts of summary values against grid keys (nil: none).
    public var plots: [SweepPlot]?
    /// The job arrays `aelab sweep --emit slurm` wrote: which task runs which point.
    public var slurmArrays: [SlurmArray]?

    public static let fileName = "sweep.json"

    init(name: String, configFile: String, gridKeys: [String], variants: [String], repeats: Int, points: [Point],
         layout: ReportLayout? = nil) {
        (self.name, self.configFile, self.gridKeys, self.variants, self.repeats, self.points, self.layout)
            = (name, configFile, gridKeys, variants, repeats, points, layout)
    }

    public init(plan: SweepPlan) {
        name = plan.name
        configFile = (plan.configFile as NSString).standardizingPath
        gridKeys = plan.gridKeys
        variants = plan.variants
        repeats = plan.repeats
        layout = plan.layout
        plots = plan.plots.isEmpty ? nil : plan.plots
        points = plan.points.map {
            Point(index: $0.index, directory: $0.label, variant: $0.variant, values: $0.coordinates.map(\.value),
                  repeatIndex: $0.repeatIndex, seed: $0.seed)
        }
    }

    /// Writes the manifest into `directory` unless the same one is there. A
    /// manifest without job arrays keeps those of the one there, if it has
    /// as many points: the tasks that run the points write it too.
    public func write(to directory: String) throws {
        let path = (directory as NSString).appendingPathComponent(Self.fileName)
        var manifest = self
        if manifest.slurmArrays == nil, let existing = try? Self.read(from: directory), existing.points.count == points.count {
            manifest.slurmArrays = existing.slurmArrays
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(manifest)
        if let existing = FileManager.default.contents(atPath: path), existing == data { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw RunError("\(path): cannot write the sweep manifest (\(error.localizedDescription))")
        }
    }

    public static func read(from directory: String) throws -> SweepManifest? {
        let path = (directory as NSString).appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(SweepManifest.self, from: data)
        } catch {
            throw RunError("\(path): not a sweep manifest (\(error.localizedDescription))")
        }
    }
}
