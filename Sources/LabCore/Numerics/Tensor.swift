/// A Float32 array with a shape: contiguous, row-major, batch first.
///
/// Value semantics come from the underlying `[Float]` (copy-on-write): a copy
/// is free until one side writes. Matrix products go through BLAS (see
/// `Tensor+BLAS.swift`); anything that views a tensor as a matrix takes the
/// leading dimension as rows and everything else as columns.
public struct Tensor: Sendable, Equatable {
    public private(set) var shape: [Int]
    public private(set) var scalars: [Float]

    public init(shape: [Int], scalars: [Float]) {
        let count = Self.requiredCount(of: shape)
        precondition(count == scalars.count, "shape \(shape) needs \(count) scalars, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    public init(zeros shape: [Int]) {
        self.init(repeating: 0, shape: shape)
    }

    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, scalars: Array(repeating: value, count: Self.requiredCount(of: shape)))
    }

    /// A tensor whose storage `fill` must write completely; skips the zero fill
    /// for buffers that BLAS or a loop overwrites anyway.
    public init(shape: [Int], fill: (UnsafeMutableBufferPointer<Float>) -> Void) {
        let count = Self.requiredCount(of: shape)
        let scalars = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            fill(buffer)
            initialized = count
        }
        self.init(shape: shape, scalars: scalars)
    }

    public var count: Int { scalars.count }
    public var rank: Int { shape.count }
    /// Leading dimension: the batch size for a batch of samples.
    public var rows: Int { shape.first ?? 1 }
    /// Scalars per row: the product of all dimensions after the first.
    public var columns: Int { rows == 0 ? 0 : count / rows }

    public subscript(index: Int) -> Float {
        get { scalars[index] }
        set { scalars[index] = newValue }
    }

    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, scalars: scalars)
    }

    /// Gives this tensor another shape with the same number of values, in place.
    public mutating func reshape(_ newShape: [Int]) {
        precondition(Self.scalarCount(of: newShape) == count, "shape \(newShape) does not hold \(count) values")
        shape = newShape
    }

    /// Rows `range` of the tensor, as a tensor of the same trailing shape.
    public func rows(_ range: Range<Int>) -> Tensor {
        let width = columns
        var newShape = shape
        newShape[0] = range.count
        return Tensor(shape: newShape, scalars: Array(scalars[(range.lowerBound * width)..<(range.upperBound * width)]))
    }

    /// The rows at `indices`, in that order (a batch gathered from a dataset).
    public func gatherRows<C: RandomAccessCollection<Int>>(_ indices: C) -> Tensor {
        let width = columns
        let sourceRows = rows
        var newShape = shape
        newShape[0] = indices.count
        return withUnsafeBufferPointer { source in
            Tensor(shape: newShape) { destination in
                // Rows of a shuffled batch lie far apart in a large dataset: two
                // cores fetching them take about half the time of one.
                ParallelLoop.forEachChunk(items: indices.count, scalarsPerItem: width) { range in
                    for position in range {
                        let row = indices[indices.index(indices.startIndex, offsetBy: position)]
                        precondition(row >= 0 && row < sourceRows, "row \(row) outside 0..<\(sourceRows)")
                        destination.baseAddress!.advanced(by: position * width)
                            .update(from: source.baseAddress!.advanced(by: row * width), count: width)
                    }
                }
            }
        }
    }

    /// Overwrites row `row` with row `sourceRow` of `source` (same row width).
    public mutating func setRow(_ row: Int, from source: Tensor, row sourceRow: Int) {
        let width = columns
        precondition(source.columns == width, "rows of \(source.columns) and \(width) values")
        source.withUnsafeBufferPointer { from in
            withUnsafeMutableBufferPointer { to in
                to.baseAddress!.advanced(by: row * width).update(from: from.baseAddress!.advanced(by: sourceRow * width), count: width)
            }
        }
    }

    /// The identity matrix as `size` rows, each reshaped to `rowShape` (whose
    /// element count must be `size`): the tangent basis e₁ ... eₙ.
    public static func identity(_ size: Int, rowShape: [Int]? = nil) -> Tensor {
        var identity = Tensor(zeros: [size] + (rowShape ?? [size]))
        precondition(identity.columns == size, "row shape \(rowShape ?? []) does not hold \(size) values")
        identity.withUnsafeMutableBufferPointer { values in
            for index in 0..<size { values[index * size + index] = 1 }
        }
        return identity
    }

    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try scalars.withUnsafeBufferPointer(body)
    }

    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try scalars.withUnsafeMutableBufferPointer { try body($0) }
    }
}
