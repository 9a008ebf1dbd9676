/// What an analysis found: scalar findings for people and scripts, arrays
/// (per-point values, limits, spectra) for the HDF5 results file, a short
/// table printed at the end of a run, and the tables, charts and image
/// strips the report should show (drawn from the summary and arrays, so the report needs
/// nothing but the results files).
public struct AnalysisResult: Sendable {
    public var summary: [ConfigValue.Entry]
    public var arrays: [(name: String, tensor: Tensor)]
    public var table: [[String]]
    public var tables: [ResultTable]
    public var charts: [ResultChart]
    public var imageStrips: [ResultImageStrip]

    public init(summary: [ConfigValue.Entry], arrays: [(name: String, tensor: Tensor)] = [], table: [[String]] = [],
                tables: [ResultTable] = [], charts: [ResultChart] = [], imageStrips: [ResultImageStrip] = []) {
        self.summary = summary
        self.arrays = arrays
        self.table = table
        self.tables = tables
        self.charts = charts
        self.imageStrips = imageStrips
    }
}
