import CKernels

extension Tensor {
    /// ‖self[r] - other[r]‖₂ for every row r, in one pass over both.
    public func rowDistances(to other: Tensor) -> [Double] {
        precondition(shape == other.shape, "shapes \(shape) and \(other.shape) differ")
        var distances = [Double](repeating: 0, count: rows)
        withUnsafeBufferPointer { a in
            other.withUnsafeBufferPointer { b in
                aelab_row_distances(a.baseAddress, b.baseAddress, rows, columns, &distances)
            }
        }
        return distances
    }

    /// Squared Euclidean distances between every row of `self` (M rows) and
    /// every row of `others` (N rows), as an M x N tensor: ‖a‖² + ‖b‖² - 2 a·b
    /// with the products through sgemm. Cancellation makes tiny distances
    /// inexact (about 1e-7 of the squared norms), so use it to rank
    /// neighbours, and `rowDistances` for the distance of a pair.
    public func squaredDistances(to others: Tensor) -> Tensor {
        precondition(columns == others.columns, "rows of \(columns) and \(others.columns) values")
        var result = Tensor.matmul(self, others, transposeB: true)
        let mine = rowSquaredNorms()
        let theirs = others.rowSquaredNorms()
        let n = others.rows
        result.withUnsafeMutableBufferPointer { values in
            for i in 0..<rows {
                for j in 0..<n { values[i * n + j] = max(0, mine[i] + theirs[j] - 2 * values[i * n + j]) }
            }
        }
        return result
    }

    /// For each row, the index of the nearest row of `others` (ranked through
    /// `squaredDistances`) and its exact distance (computed directly).
    public func nearestRows(in others: Tensor) -> [(index: Int, distance: Float)] {
        let distances = squaredDistances(to: others)
        let n = others.rows
        let nearest = (0..<rows).map { i in
            var best = 0
            for j in 1..<max(n, 1) where distances[i * n + j] < distances[i * n + best] { best = j }
            return best
        }
        let exact = rowDistances(to: others.gatherRows(nearest))
        return zip(nearest, exact).map { ($0, Float($1)) }
    }

    /// Each row's distance to the nearest other row (infinity for a lone row):
    /// how far apart training points sit, the scale for "close to a point".
    public func distancesToNearestOtherRow() -> [Double] {
        let squared = squaredDistances(to: self)
        let n = rows
        return (0..<n).map { i in
            var nearest = Float.infinity
            for j in 0..<n where j != i { nearest = min(nearest, squared[i * n + j]) }
            return Double(nearest.squareRoot())
        }
    }

    func rowSquaredNorms() -> [Float] {
        withUnsafeBufferPointer { values in
            (0..<rows).map { row in
                var sum: Float = 0
                for index in (row * columns)..<((row + 1) * columns) { sum += values[index] * values[index] }
                return sum
            }
        }
    }
}
