import Foundation

/// A tensor made by `make` the first time it is read, once, whichever
/// thread reads first.
public final class LazyTensor: @unchecked Sendable {
    private let lock = NSLock()
    private var made: Tensor?
    private let make: () -> Tensor

    public init(_ make: @escaping () -> Tensor) {
        self.make = make
    }

    public var value: Tensor {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let tensor = make()
        made = tensor
        return tensor
    }
}
