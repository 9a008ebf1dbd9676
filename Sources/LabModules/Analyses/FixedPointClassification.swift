import LabCore

/// Which iterated training points are fixed points, by the study's rule and
/// by a strict one, side by side.
///
/// Study's rule: the iteration converged and its limit is nearer to the
/// starting image than to any other training image, however far that is.
/// Strict rule: converged, and the limit is at the starting image by a
/// `ClosenessRule`.
public struct FixedPointClassification: Sendable {
    /// The training point nearest each limit; -1 where the limit diverged (it has no nearest).
    public var nearestIndex: [Int]
    public var distanceToStart: [Double]
    public var fixedPoint: [Bool]
    public var strictFixedPoint: [Bool]

    public init(outcome: FixedPointIteration.Outcome, trainingPoints: Tensor, strict: ClosenessRule) {
        let separations = trainingPoints.distancesToNearestOtherRow()
        let nearest = outcome.limits.nearestRows(in: trainingPoints).map(\.index)
        let distances = outcome.limits.rowDistances(to: trainingPoints)
        nearestIndex = nearest.indices.map { outcome.diverged[$0] ? -1 : nearest[$0] }
        distanceToStart = distances
        fixedPoint = outcome.converged.indices.map { outcome.converged[$0] && nearest[$0] == $0 }
        strictFixedPoint = outcome.converged.indices.map { index in
            outcome.converged[index] && distances[index] <= strict.threshold(forPoint: index, separations: separations)
        }
    }
}
