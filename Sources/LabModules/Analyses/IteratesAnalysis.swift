import LabCore

/// `iterates`: the first training images, f, f², f⁵, ... of each, and the
/// training image nearest the last iterate, as one array for the report's
/// picture of what iteration does to the images.
public struct IteratesAnalysis: Analysis {
    public let typeName = "iterates"
    public var images: Int
    /// The powers of f pictured, ascending.
    public var steps: [Int]

    public init(images: Int, steps: [Int]) {
        self.images = images
        self.steps = steps
    }

    public func run(network: Network, trainingPoints: Tensor) throws -> AnalysisResult {
        let shown = Array(0..<min(images, trainingPoints.rows))
        var iterate = trainingPoints.gatherRows(shown)
        var columns = [iterate]
        for step in 1...(steps.last ?? 0) {
            iterate = network(iterate)
            if steps.contains(step) { columns.append(iterate) }
        }
        let nearest = iterate.nearestRows(in: trainingPoints)
        // A diverged iterate has no nearest image: its tile stays not finite (drawn red).
        let nearestImages = nearest.map { match in
            match.distance.isFinite ? trainingPoints.gatherRows([match.index]).scalars : [Float](repeating: .nan, count: trainingPoints.columns)
        }
        columns.append(Tensor(shape: [shown.count, trainingPoints.columns], scalars: nearestImages.flatMap { $0 }))
        let size = trainingPoints.columns
        var strip = [Float]()
        strip.reserveCapacity(shown.count * columns.count * size)
        for row in shown.indices {
            for column in columns { strip += column.scalars[(row * size)..<((row + 1) * size)] }
        }
        return AnalysisResult(
            summary: [ConfigValue.Entry("images", .int(shown.count)), ConfigValue.Entry("steps", .list(steps.map { .int($0) })),
                      ConfigValue.Entry("nearest_index", .list(nearest.map { .int($0.distance.isFinite ? $0.index : -1) })),
                      ConfigValue.Entry("nearest_distance", .list(nearest.map { .double(Double($0.distance)) }))],
            arrays: [("strip", Tensor(shape: [shown.count, columns.count, size], scalars: strip))],
            table: [["images", "nearest its own image after f^\(steps.last ?? 0)", "diverged"],
                    ["\(shown.count)", "\(zip(shown, nearest).filter { $0.1.distance.isFinite && $0.1.index == $0.0 }.count)",
                     "\(nearest.filter { !$0.distance.isFinite }.count)"]],
            imageStrips: [picture(network: network, trainingPoints: trainingPoints, shown: shown, nearest: nearest)])
    }

    func picture(network: Network, trainingPoints: Tensor, shown: [Int], nearest: [(index: Int, distance: Float)]) -> ResultImageStrip {
        let powers = steps.map { "f" + ($0 == 1 ? "" : Self.superscript($0)) }
        let last = powers.last ?? "f"
        let values = trainingPoints.scalars.filter(\.isFinite)
        let (low, high) = (values.min() ?? 0, values.max() ?? 1)
        let landing = zip(shown, nearest).map { image, match in
            match.distance.isFinite ? "image \(image) → #\(match.index) at \(String(format: "%.3g", match.distance))" : "image \(image) diverged"
        }
        let which = shown.count < trainingPoints.rows ? "the first \(shown.count) of the \(trainingPoints.rows) training images"
            : "the \(shown.count) training images"
        return ResultImageStrip(
            title: "Training images under iteration", array: "strip", sampleShape: network.inputShape,
            columnTitles: ["image"] + powers + ["nearest"], valueRange: low < high ? low...high : nil,
            caption: "\(which) (left), \(powers.joined(separator: ", ")) of each, "
                + "and the training image nearest \(last) (right). Every tile is drawn on the training data's range "
                + String(format: "[%.3g, %.3g]", low, high) + ", values beyond it clipped; red: not a finite number, "
                + "and a red last tile: \(last) diverged, so no training image is nearest. "
                + "Nearest training image to \(last) and its distance: " + landing.joined(separator: "; ") + ".")
    }

    /// `n` in superscript digits: 20 → ²⁰.
    static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return String(String(n).map { digits[Int(String($0))!] })
    }
}

extension IteratesAnalysis {
    static func register(in registry: inout Registry) {
        registry.analyses.register(
            "iterates", summary: "the first training images under iteration (f, f², ... f¹⁰⁰⁰) and the image nearest the last, for the report",
            parameters: [
                .integer("images", default: 6, range: .atLeast(1), doc: "training images pictured (the first ones)"),
                ParameterSpec("steps", .integers, default: .list([1, 2, 5, 20, 100, 1000].map { .int($0) }), range: .atLeast(1),
                              doc: "the powers of f pictured, ascending"),
            ]
        ) { config, _ in
            let steps = try config.intList("steps")
            guard steps == steps.sorted(), Set(steps).count == steps.count, !steps.isEmpty else {
                throw config.located("steps").error("steps must ascend without repeats, got \(steps)", allowed: "ascending integers >= 1")
            }
            return IteratesAnalysis(images: try config.int("images"), steps: steps)
        }
    }
}
