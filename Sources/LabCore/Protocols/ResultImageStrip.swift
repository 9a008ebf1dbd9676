/// A grid of images an analysis asks the report to show for each run it
/// pictures: an array (by name, in results.h5) of shape [rows, columns,
/// values of one sample], each sample drawn as an image of `sampleShape`.
public struct ResultImageStrip: Sendable, Equatable, Codable {
    public var title: String
    public var array: String
    public var sampleShape: [Int]
    /// Headers over the columns; none when empty.
    public var columnTitles: [String]
    /// The values drawn black to white in every tile, those beyond clipped; nil: the grid's own range.
    public var valueRange: [Float]?
    public var caption: String

    public init(title: String, array: String, sampleShape: [Int], columnTitles: [String] = [], valueRange: ClosedRange<Float>? = nil,
                caption: String = "") {
        (self.title, self.array, self.sampleShape, self.columnTitles) = (title, array, sampleShape, columnTitles)
        self.valueRange = valueRange.map { [$0.lowerBound, $0.upperBound] }
        self.caption = caption
    }
}
