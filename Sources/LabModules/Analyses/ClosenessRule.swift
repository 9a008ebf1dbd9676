import LabCore

/// When an iterate counts as "at" a training point: within `tolerance` of it
/// in absolute L2 distance, or (relative) within `tolerance` times that
/// point's distance to its nearest other training point.
public struct ClosenessRule: Sendable {
    public enum Mode: String, CaseIterable, Sendable { case absolute, relative }

    public var mode: Mode
    public var tolerance: Double

    /// The default relative tolerance: a limit within a fifth of the way to the
    /// nearest other image reproduces its image. Memorising nets (the study's
    /// w128 d11 on random images) leave their limits at 3-11% of that distance,
    /// about their own reconstruction error; nets that only land near an image
    /// (dead output pixels, a low-rank net's one fixed point) leave them at 28%
    /// and beyond.
    public static let reproductionTolerance = 0.2

    public init(mode: Mode, tolerance: Double) {
        self.mode = mode
        self.tolerance = tolerance
    }

    /// The largest distance to point `index` that still counts as at it.
    public func threshold(forPoint index: Int, separations: [Double]) -> Double {
        mode == .absolute ? tolerance : tolerance * separations[index]
    }

    /// The declarations of `<prefix>_mode` and `<prefix>_tolerance`.
    public static func parameters(prefix: String, defaultMode: Mode, defaultTolerance: Double, about: String) -> [ParameterSpec] {
        [.choice("\(prefix)_mode", Mode.allCases.map(\.rawValue), default: defaultMode.rawValue,
                 doc: "\(about): relative to the point's distance to its nearest other point, or absolute"),
         .number("\(prefix)_tolerance", default: defaultTolerance, range: .positive, doc: "\(about): the largest distance that counts")]
    }

    /// Reads `<prefix>_mode` and `<prefix>_tolerance`, as declared by `parameters`.
    public static func read(_ config: ConfigReader, prefix: String) throws -> ClosenessRule {
        ClosenessRule(mode: Mode(rawValue: try config.string("\(prefix)_mode"))!, tolerance: try config.double("\(prefix)_tolerance"))
    }
}
