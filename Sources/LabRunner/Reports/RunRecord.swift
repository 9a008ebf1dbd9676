import Foundation
import LabCore
import LabIO

/// What a report reads from one run directory: the loss curve, the final
/// loss and training time, and the attractor analyses' counts and per-point
/// spectral radii (from results.json), eigenvalues (from results.h5).
public struct RunRecord {
    public var run: RunDirectory
    public var isComplete: Bool
    /// (epoch, loss, seconds of training so far), from metrics.csv.
    public var curve: [(epoch: Int, loss: Double, seconds: Double)]
    /// The four-way table and the attractor counts, keyed as in results.json.
    public var counts: [String: Double]
    public var spectralRadii: [Double]
    /// Top eigenvalues of every point, as (real, imaginary) pairs.
    public var eigenvalues: [(Double, Double)]

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
        counts = [:]
        spectralRadii = []
        eigenvalues = []
        let resultsPath = run.file("results.json")
        guard let data = FileManager.default.contents(atPath: resultsPath) else { return }
        guard let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let analyses = document["analyses"] as? [[String: Any]] else {
            throw RunError("\(resultsPath): not an analysis results file")
        }
        for analysis in analyses {
            let name = analysis["name"] as? String ?? ""
            if name == "attractors" {
                for key in Self.countKeys { if let value = analysis[key] as? Double { counts[key] = value } }
            }
            if spectralRadii.isEmpty, name == "attractors" || name == "jacobian_spectrum",
               let points = analysis["per_point"] as? [[String: Any]] {
                spectralRadii = points.map { $0["spectral_radius"] as? Double ?? .nan }
            }
        }
        let arraysPath = run.file("results.h5")
        if FileManager.default.fileExists(atPath: arraysPath), let file = try? HDF5File.openForReading(arraysPath) {
            defer { try? file.close() }
            let dataset = "/analyses/jacobian_spectrum/top_eigenvalues"
            if file.exists(dataset), let values = try? file.readTensor(at: dataset) {
                eigenvalues = stride(from: 0, to: values.count - 1, by: 2).map { (Double(values[$0]), Double(values[$0 + 1])) }
            }
        }
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
