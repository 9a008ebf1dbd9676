/// What an analysis found: scalar findings for people and scripts, arrays
/// (per-point values, limits, spectra) for the HDF5 results file, and a short
/// table printed at the end of a run.
public struct AnalysisResult: Sendable {
    public var summary: [ConfigValue.Entry]
    public var arrays: [(name: String, tensor: Tensor)]
    public var table: [[String]]

    public init(summary: [ConfigValue.Entry], arrays: [(name: String, tensor: Tensor)] = [], table: [[String]] = []) {
        self.summary = summary
        self.arrays = arrays
        self.table = table
    }
}
