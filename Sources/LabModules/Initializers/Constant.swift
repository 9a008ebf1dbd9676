import LabCore

/// Every value the same: `zeros` (the usual bias start) or any `constant`.
public struct Constant: Initializer {
    public var value: Float

    public init(_ value: Float) {
        self.value = value
    }

    public func fill(_ tensor: inout Tensor, fanIn: Int, fanOut: Int, using rng: inout RandomGenerator) {
        tensor.withUnsafeMutableBufferPointer { $0.update(repeating: value) }
    }
}

extension Constant {
    static func register(in registry: inout Registry) {
        registry.initializers.register("zeros", summary: "all zero") { _, _ in Constant(0) }
        registry.initializers.register("constant", summary: "all equal to value",
                                       parameters: [.number("value", doc: "the value of every element")]) { config, _ in
            Constant(Float(try config.double("value")))
        }
    }
}
