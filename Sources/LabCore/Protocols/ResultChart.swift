/// A chart an analysis asks the report to draw from one of its arrays (by
/// name, as in results.h5). The report gathers runs into it: lines and
/// scatters get a series per cell (its first repeat), a histogram pools
/// every repeat of a variant, a complex plane takes (real, imaginary) pairs
/// from an array whose last dimension is 2. Charts of the same title from
/// two analyses of one run are drawn once.
public struct ResultChart: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case line, scatter, histogram, complexPlane = "complex_plane" }
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

    public init(title: String, kind: Kind, array: String, xLabel: String, yLabel: String, yScale: Scale = .linear,
                guide: Double? = nil, caption: String = "", xArray: String? = nil, xScale: Scale? = nil) {
        (self.title, self.kind, self.array, self.xLabel, self.yLabel) = (title, kind, array, xLabel, yLabel)
        (self.yScale, self.guide, self.caption, self.xArray, self.xScale) = (yScale, guide, caption, xArray, xScale)
    }
}
