import Foundation
import LabCore
import LabIO

/// What a report reads from one run directory: the loss curve and held-out
/// loss curve, the final losses and training time (metrics.csv), and the analyses' results
/// (`ResultsFile`), whose arrays are read when a chart needs them.
public struct RunRecord {
    public var run: RunDirectory
    public var isComplete: Bool
    /// (epoch, loss, seconds of training so far), from metrics.csv.
    public var curve: [(epoch: Int, loss: Double, seconds: Double)]
    /// (epoch, loss on the evaluation data) where metrics.csv's `heldout_loss` column has a value.
    public var heldoutCurve: [(epoch: Int, loss: Double)]
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
    /// The held-out loss after the last epoch logged (training always ends with one); nil without evaluation.
    public var finalHeldoutLoss: Double? {
        guard let last = curve.last?.epoch, let final = heldoutCurve.last, final.epoch == last else { return nil }
        return final.loss
    }

    public init(run: RunDirectory) throws {
        self.run = run
        isComplete = run.isComplete
        (curve, heldoutCurve) = Self.curves(inMetrics: run.metricsPath)
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

    /// The rows of metrics.csv, and its `heldout_loss` column (found by its header) where filled.
    static func curves(inMetrics path: String) -> ([(epoch: Int, loss: Double, seconds: Double)], [(epoch: Int, loss: Double)]) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return ([], []) }
        let lines = text.split(separator: "\n")
        let heldoutColumn = lines.first?.split(separator: ",").firstIndex(of: "heldout_loss")
        var curve: [(epoch: Int, loss: Double, seconds: Double)] = []
        var heldout: [(epoch: Int, loss: Double)] = []
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count >= 3, let epoch = Int(fields[0]), let loss = Double(fields[1]), let seconds = Double(fields[2]) else { continue }
            curve.append((epoch, loss, seconds))
            if let heldoutColumn, heldoutColumn < fields.count, let value = Double(fields[heldoutColumn]) { heldout.append((epoch, value)) }
        }
        return (curve, heldout)
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
