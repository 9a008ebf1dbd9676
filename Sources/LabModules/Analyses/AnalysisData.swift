import LabCore

/// The points an analysis studies: the training points, or a dataset block
/// of its own (`data:`, e.g. the test split), the first `first` of them,
/// with their class labels where the dataset has them.
struct AnalysisData {
    var dataset: (any Dataset)?
    var trainingLabels: [Int]?
    var first: Int?

    static func parameters(first defaultFirst: Int?) -> [ParameterSpec] {
        [ParameterSpec("data", .module(kind: "dataset"), optional: true,
                       doc: "a dataset of its own, e.g. {type: mnist, split: test} (default: the training data)"),
         .integer("first", default: defaultFirst, range: .atLeast(1), optional: defaultFirst == nil,
                  doc: "the first N points of it" + (defaultFirst == nil ? " (default: all)" : ""))]
    }

    init(dataset: (any Dataset)? = nil, trainingLabels: [Int]? = nil, first: Int? = nil) {
        (self.dataset, self.trainingLabels, self.first) = (dataset, trainingLabels, first)
    }

    /// `data` and `first` as `parameters(first:)` declared them.
    init(reading config: ConfigReader, context: BuildContext, defaultFirst: Int?) throws {
        dataset = config.node("data") != nil ? try config.module("data", from: context.registry.datasets, context: context) : nil
        trainingLabels = context.labels
        first = defaultFirst != nil ? try config.int("first") : try config.optionalInt("first")
    }

    /// How captions name the points of a source ("training" or "given").
    static func pointsName(_ source: String) -> String { source == "training" ? "training points" : "points of the analysis's data" }

    /// The points (and labels) studied, checked against the network's input shape.
    func points(training: Tensor, network: Network, analysis: String) throws -> (points: Tensor, labels: [Int]?, source: String) {
        let count = min(first ?? Int.max, dataset?.count ?? training.rows)
        guard let dataset else {
            return (training.gatherRows(0..<count), trainingLabels.map { Array($0.prefix(count)) }, "training")
        }
        guard dataset.sampleShape.reduce(1, *) == network.inputShape.reduce(1, *) else {
            throw AnalysisError("\(analysis): the data's samples have shape \(dataset.sampleShape), the network takes \(network.inputShape)")
        }
        let points = dataset.batch(Array(0..<count))
        return (points.reshaped([count] + network.inputShape), dataset.labels.map { Array($0.prefix(count)) }, "given")
    }
}
