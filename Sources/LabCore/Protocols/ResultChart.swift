/// A chart an analysis asks the report to draw from one of its arrays (by
/// name, as in results.h5). The report gathers runs into it: lines and
/// scatters get a series per cell (its first repeat), a histogram pools
/// every repeat of a variant, a complex plane takes (real, imaginary) pairs
/// from an array whose last dimension is 2, and a map draws (x, y) pairs
/// the same way, one colour per label, for each run pictured. Charts of the same title from
/// two analyses of one run are drawn once.
public struct ResultChart: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case line, scatter, histogram, complexPlane = "complex_plane", map }
    /// `auto`: logarithmic when the positive values span more than a factor of 100.
    public enum Scale: String, Sendable, Codable { case linear, log, auto }

    public var title: String
    public var kind: Kind
    /// The array of y values (x: each value's index, or `xArray`), of histogram values, or of eigenvalue pairs.
    public var array: String
    /// A line's or scatter's x values, as many as `array` holds (nil: each value's index).
    public var xArray: String?
    public var xLabel: String
    public var yLabel: String
    public var yScale: Scale
    /// nil: linear.
    public var xScale: Scale?
    /// A dashed reference value: a horizontal line, or a vertical one in a histogram.
    public var guide: Double?
    public var caption: String
    /// A map's array of integer labels, one per point (class labels): a colour and a legend entry each.
    public var labels: String?
    /// What the legend calls label 0, 1, ...; the numbers themselves when empty.
    public var labelNames: [String]?

    public init(title: String, kind: Kind, array: String, xLabel: String, yLabel: String, yScale: Scale = .linear,
                guide: Double? = nil, caption: String = "", labels: String? = nil, labelNames: [String]? = nil,
                xArray: String? = nil, xScale: Scale? = nil) {
        (self.title, self.kind, self.array, self.xLabel, self.yLabel) = (title, kind, array, xLabel, yLabel)
        (self.yScale, self.guide, self.caption, self.labels, self.labelNames) = (yScale, guide, caption, labels, labelNames)
        (self.xArray, self.xScale) = (xArray, xScale)
    }
}
