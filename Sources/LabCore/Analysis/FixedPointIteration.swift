/// Iterates x <- f(x) from many starts at once, as one batch, until each
/// start's iterates move at most `tolerance` (L2) in one step.
///
/// Points that settle leave the batch, so later iterations cost only what is
/// still moving. After `budget` iterations, points still unsettled continue
/// to `extendedBudget` only if their iterate is still nearest (among the
/// anchors) to their own anchor: the study's 1,000-then-32,000 rule. An
/// iterate that becomes NaN or Inf stops at once and counts as diverged,
/// never as converged.
public struct FixedPointIteration: Sendable {
    public var tolerance: Double
    public var budget: Int
    public var extendedBudget: Int

    public init(tolerance: Double = 5e-5, budget: Int = 1000, extendedBudget: Int = 32000) {
        self.tolerance = tolerance
        self.budget = budget
        self.extendedBudget = max(extendedBudget, budget)
    }

    public struct Outcome: Sendable {
        /// The last iterate of each start.
        public var limits: Tensor
        public var converged: [Bool]
        public var diverged: [Bool]
        public var iterations: [Int]

        public init(limits: Tensor, converged: [Bool], diverged: [Bool], iterations: [Int]) {
            self.limits = limits
            self.converged = converged
            self.diverged = diverged
            self.iterations = iterations
        }

        public var notSettled: Int { zip(converged, diverged).filter { !$0 && !$1 }.count }
    }

    /// Iterates from every row of `starts`. `anchors` and `owners` (start i
    /// belongs to anchor owners[i]) decide who earns the extended budget;
    /// without anchors the iteration stops at `budget`.
    public func run(_ network: Network, from starts: Tensor, anchors: Tensor? = nil, owners: [Int]? = nil) -> Outcome {
        let count = starts.rows
        var outcome = Outcome(limits: starts, converged: Array(repeating: false, count: count),
                              diverged: Array(repeating: false, count: count), iterations: Array(repeating: 0, count: count))
        var active = Array(0..<count)
        var batch = starts
        var iteration = 0
        while !active.isEmpty && iteration < extendedBudget {
            if iteration == budget {
                guard let anchors, let owners else { break }
                let nearest = batch.nearestRows(in: anchors)
                let keep = active.indices.filter { nearest[$0].index == owners[active[$0]] }
                let kept = Set(keep)
                for row in active.indices where !kept.contains(row) {
                    outcome.limits.setRow(active[row], from: batch, row: row)
                    outcome.iterations[active[row]] = iteration
                }
                if keep.count < active.count {
                    batch = batch.gatherRows(keep)
                    active = keep.map { active[$0] }
                }
                if active.isEmpty { break }
            }
            let next = network(batch)
            let moves = next.rowDistances(to: batch)
            iteration += 1
            var keep: [Int] = []
            for row in active.indices {
                let point = active[row]
                if !moves[row].isFinite {
                    outcome.diverged[point] = true
                } else if moves[row] <= tolerance {
                    outcome.converged[point] = true
                } else {
                    keep.append(row)
                    continue
                }
                outcome.iterations[point] = iteration
                outcome.limits.setRow(point, from: next, row: row)
            }
            if keep.count == active.count {
                batch = next
            } else {
                batch = next.gatherRows(keep)
                active = keep.map { active[$0] }
            }
        }
        for (row, point) in active.enumerated() {
            outcome.limits.setRow(point, from: batch, row: row)
            outcome.iterations[point] = iteration
        }
        return outcome
    }
}
