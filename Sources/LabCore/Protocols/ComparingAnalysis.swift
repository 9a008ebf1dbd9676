/// An analysis that can study the weights training started from beside the
/// ones it is given (the paper's figures: a spectrum at initialisation and
/// after training). The runner builds a second network with the run's
/// initial weights when `comparesInitialWeights` is set.
public protocol ComparingAnalysis: Analysis {
    /// Whether this instance asks for the initial weights (an option of its config).
    var comparesInitialWeights: Bool { get }
    /// `initialNetwork` has the same architecture as `network`, with the weights before the first step.
    func run(network: Network, initialNetwork: Network, trainingPoints: Tensor) throws -> AnalysisResult
}
