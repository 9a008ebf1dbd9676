import LabCore

/// Recall from noise, as associative-memory studies measure it: start from
/// many inputs that are not training points (uniform random, or training
/// points under Gaussian noise), iterate the map, and see where they end.
///
/// An input is recalled when its iteration settles within `tolerance` times
/// the nearest training point's distance to its own nearest neighbour; it is
/// spurious when it settles anywhere else, a fixed point that is not a
/// training point.
public struct RecallFromNoise: Analysis {
    public enum Source: String, CaseIterable, Sendable { case uniform, corrupted }

    public let typeName = "recall"
    public var starts: Int
    public var source: Source
    public var noise: Float
    public var tolerance: Double
    public var iteration: FixedPointIteration
    public var seed: UInt64

    public init(starts: Int, source: Source, noise: Float, tolerance: Double, iteration: FixedPointIteration, seed: UInt64) {
        self.starts = starts
        self.source = source
        self.noise = noise
        self.tolerance = tolerance
        self.iteration = iteration
        self.seed = seed
    }

    public func run(network: Network, trainingPoints: Tensor) throws -> AnalysisResult {
        var rng = RandomGenerator(seed: seed)
        let inputs = startingInputs(trainingPoints, rng: &rng)
        let outcome = iteration.run(network, from: inputs)
        let nearest = outcome.limits.nearestRows(in: trainingPoints)
        let separations = trainingPoints.distancesToNearestOtherRow()

        var destination = [Float](repeating: -2, count: starts)  // -2 not settled, -1 spurious, else the point
        for index in 0..<starts where outcome.converged[index] {
            let (point, distance) = nearest[index]
            destination[index] = Double(distance) <= tolerance * separations[point] ? Float(point) : -1
        }
        let recalled = destination.filter { $0 >= 0 }.count
        let distinct = Set(destination.filter { $0 >= 0 }).count
        let spurious = destination.filter { $0 == -1 }.count
        let unsettled = destination.filter { $0 == -2 }.count
        let header = ["starts", "recalled", "distinct points", "spurious", "not settled"]
        let counts = ["\(starts)", "\(recalled)", "\(distinct) of \(trainingPoints.rows)", "\(spurious)", "\(unsettled)"]
        return AnalysisResult(
            summary: [ConfigValue.Entry("starts", .int(starts)), ConfigValue.Entry("source", .string(source.rawValue)),
                      ConfigValue.Entry("recalled", .int(recalled)), ConfigValue.Entry("distinct_points_recalled", .int(distinct)),
                      ConfigValue.Entry("spurious", .int(spurious)), ConfigValue.Entry("not_settled", .int(unsettled))],
            arrays: [("destination", Tensor(shape: [starts], scalars: destination)), ("limits", outcome.limits),
                     ("nearest_distance", Tensor(shape: [starts], scalars: nearest.map { Float($0.distance) }))],
            table: [header, counts],
            tables: [ResultTable(title: "Recall from \(source.rawValue) inputs", header: header, rows: [counts],
                                 caption: "Where \(starts) inputs ended under iteration: at a training point (recalled), elsewhere (spurious), or nowhere.")],
            charts: [ResultChart(title: "Distance from each limit to its nearest training point (\(source.rawValue) inputs)", kind: .histogram, array: "nearest_distance",
                                 xLabel: "distance (L2)", yLabel: "inputs", yScale: .linear,
                                 caption: "Limits of the iterated inputs; a recalled input ends near 0.")])
    }

    func startingInputs(_ points: Tensor, rng: inout RandomGenerator) -> Tensor {
        switch source {
        case .uniform:
            var shape = points.shape
            shape[0] = starts
            return Tensor(shape: shape) { rng.fillUniform($0) }
        case .corrupted:
            var inputs = points.gatherRows((0..<starts).map { _ in rng.nextInt(below: points.rows) })
            let noise = self.noise
            inputs.withUnsafeMutableBufferPointer { values in
                for index in values.indices { values[index] += noise * rng.nextNormal() }
            }
            return inputs
        }
    }
}
