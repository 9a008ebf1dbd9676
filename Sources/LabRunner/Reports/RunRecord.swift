import Foundation
import LabCore
import LabIO

/// What a report reads from one run directory: the loss curve, the final
/// loss and training time (metrics.csv), and the analyses' results
/// (`ResultsFile`), whose arrays are read when a chart needs them.
public struct RunRecord {
    public var run: RunDirectory
    public var isComplete: Bool
    /// (epoch, loss, seconds of training so far), from metrics.csv.
    public var curve: [(epoch: Int, loss: Double, seconds: Double)]
    /// The analyses' records; nil before the run is analysed.
    public var results: RunResults?
    /// The attractors analysis's four-way table and counts, keyed as in results.json: the study's tables.
    public var counts: [String: Double]

    /// The loss trained on, as config.yaml names it (`mse`, `bce`, a plugin's name); nil when it names none.
    public var lossName: String?

    public static let countKeys = ["points", "fixed_radius_below_1", "fixed_radius_above_1", "not_fixed_radius_below_1",
                                   "not_fixed_radius_above_1", "radius_exactly_1", "no_radius", "attractors", "strict_attractors",
                                   "did_not_converge", "diverged"]

    public var finalLoss: Double? { curve.last?.loss }
    public var trainingSeconds: Double? { curve.last?.seconds }

    public init(run: RunDirectory) throws {
        self.run = run
        isComplete = run.isComplete
        curve = []
        if let text = try? String(contentsOfFile: run.metricsPath, encoding: .utf8) {
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: ",")
                guard fields.count >= 3, let epoch = Int(fields[0]), let loss = Double(fields[1]), let seconds = Double(fields[2]) else { continue }
                curve.append((epoch, loss, seconds))
            }
        }
        lossName = Self.lossName(inConfig: run.configPath)
        results = try ResultsFile(run: run).read()
        counts = [:]
        if let attractors = results?.analysis("attractors") {
            for key in Self.countKeys { if let value = attractors.value(key)?.doubleValue { counts[key] = value } }
        }
    }

    /// One analysis's array, as results.h5 holds it; nil when the run has none.
    public func array(_ name: String, of analysis: String) -> Tensor? {
        try? ResultsFile(run: run).array(name, of: analysis)
    }

    /// `training.loss` of a resolved config: a name, or a mapping with `type`.
    static func lossName(inConfig path: String) -> String? {
        guard let loss = (try? YAMLConfigLoader.load(file: path))?["training"]?["loss"] else { return nil }
        switch loss.content {
        case .scalar(let name): return name
        case .mapping: if case .scalar(let name)? = loss["type"]?.content { return name } else { return nil }
        default: return nil
        }
    }
}
