import LabCore

/// Which iterated training points are fixed points, by the study's rule and
/// by a strict one, side by side.
///
/// Study's rule: the iteration converged and its limit is nearer to the
/// starting image than to any other training image, however far that is.
/// Strict rule: converged, and the limit is at the starting image by a
/// `ClosenessRule`.
public struct FixedPointClassification: Sendable {
    public var nearestIndex: [Int]
    public var distanceToStart: [Double]
    public var fixedPoint: [Bool]
    public var strictFixedPoint: [Bool]

    public init(outcome: FixedPointIteration.Outcome, trainingPoints: Tensor, strict: ClosenessRule) {
        let separations = Self.separations(of: trainingPoints)
        let nearest = outcome.limits.nearestRows(in: trainingPoints).map(\.index)
        let distances = outcome.limits.rowDistances(to: trainingPoints)
        nearestIndex = nearest
        distanceToStart = distances
        fixedPoint = outcome.converged.indices.map { outcome.converged[$0] && nearest[$0] == $0 }
        strictFixedPoint = outcome.converged.indices.map { index in
            outcome.converged[index] && distances[index] <= strict.threshold(forPoint: index, separations: separations)
        }
    }

    /// Each training point's distance to its nearest other training point.
    public static func separations(of points: Tensor) -> [Double] {
        let squared = points.squaredDistances(to: points)
        let n = points.rows
        return (0..<n).map { i in
            var nearest = Float.infinity
            for j in 0..<n where j != i { nearest = min(nearest, squared[i * n + j]) }
            return Double(nearest.squareRoot())
        }
    }
}
