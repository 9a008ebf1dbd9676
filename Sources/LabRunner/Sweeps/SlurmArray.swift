/// One job array of a sweep, as `sweep.json` records it: task t of `script`
/// runs point `firstPoint + t`, for t below `tasks`. Arrays hold at most the
/// array limit's tasks, so every task index stays under the cluster's
/// MaxArraySize.
public struct SlurmArray: Codable, Sendable, Equatable {
    public var script: String
    public var firstPoint: Int
    public var tasks: Int

    public init(script: String, firstPoint: Int, tasks: Int) {
        self.script = script
        self.firstPoint = firstPoint
        self.tasks = tasks
    }

    /// `slurm.sh` when one array holds the sweep, else `slurm-0.sh`, `slurm-1.sh`, ...
    public static func split(points: Int, limit: Int) -> [SlurmArray] {
        let starts = Array(stride(from: 0, to: points, by: limit))
        return starts.enumerated().map { number, start in
            SlurmArray(script: starts.count == 1 ? "slurm.sh" : "slurm-\(number).sh", firstPoint: start,
                       tasks: min(limit, points - start))
        }
    }

    /// Whether `name` is a file `split` could have written (an earlier emission's, say).
    public static func isScriptName(_ name: String) -> Bool {
        name.wholeMatch(of: /slurm(-\d+)?\.sh/) != nil
    }
}
