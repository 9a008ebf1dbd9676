extension Tensor {
    /// The number of values a tensor of `shape` holds, or nil when a
    /// dimension is negative or the product does not fit in an Int: the
    /// check for shapes that come from configs before anything is allocated.
    public static func scalarCount(of shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }

    /// `scalarCount(of:)` for shapes that must be valid (a programming error otherwise).
    static func requiredCount(of shape: [Int]) -> Int {
        guard let count = scalarCount(of: shape) else {
            preconditionFailure("shape \(shape) has a negative dimension or more values than an Int counts")
        }
        return count
    }
}
