import LabCore

/// A side x side grid of 2-D codes spanning the range of a set of codes,
/// from the 1st to the 99th percentile of each coordinate (so a few outlying
/// codes do not leave most of the grid where no code lies): x grows along
/// each row, y falls down the rows (as on a map), so a decoder's images on
/// it sit where their codes lie in the latent map.
struct CodeGrid {
    let side: Int
    let xRange: ClosedRange<Float>
    let yRange: ClosedRange<Float>

    /// The grid over the finite codes' central range (codes: [N, 2]).
    init(spanning codes: Tensor, side: Int) {
        precondition(codes.columns == 2 && side >= 2, "a grid needs 2-D codes and at least 2 steps")
        let values = codes.scalars
        self.side = side
        xRange = Self.centralRange(stride(from: 0, to: values.count, by: 2).map { values[$0] })
        yRange = Self.centralRange(stride(from: 1, to: values.count, by: 2).map { values[$0] })
    }

    /// The 1st to the 99th percentile of the finite values (the nearest ranks).
    static func centralRange(_ values: [Float]) -> ClosedRange<Float> {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return 0...0 }
        let rank = { (fraction: Double) in sorted[Int((Double(sorted.count - 1) * fraction).rounded())] }
        return rank(0.01)...rank(0.99)
    }

    /// The grid's codes row by row, [side * side, 2].
    var codes: Tensor {
        func step(_ range: ClosedRange<Float>, _ index: Int) -> Float {
            range.lowerBound + (range.upperBound - range.lowerBound) * Float(index) / Float(side - 1)
        }
        let pairs = (0..<side).flatMap { row in (0..<side).flatMap { column in [step(xRange, column), step(yRange, side - 1 - row)] } }
        return Tensor(shape: [side * side, 2], scalars: pairs)
    }

    /// Decoded grid codes ([side * side] + sample shape) as an image strip's array, [side, side, values].
    func strip(of decoded: Tensor) -> Tensor {
        decoded.reshaped([side, side, decoded.columns])
    }

    var caption: String {
        String(format: "x from %.3g to %.3g (left to right), y from %.3g to %.3g (bottom to top)",
               xRange.lowerBound, xRange.upperBound, yRange.lowerBound, yRange.upperBound)
    }
}
