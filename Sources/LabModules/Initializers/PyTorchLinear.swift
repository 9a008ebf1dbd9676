import LabCore

/// PyTorch's default for nn.Linear weights and biases: uniform in
/// ±1/sqrt(fan_in) (kaiming_uniform with a = √5 comes to the same bound).
public struct PyTorchLinear: Initializer {
    public init() {}

    public func fill(_ tensor: inout Tensor, fanIn: Int, fanOut: Int, using rng: inout RandomGenerator) {
        let bound = 1 / Float(max(fanIn, 1)).squareRoot()
        tensor.withUnsafeMutableBufferPointer { rng.fillUniform($0, low: -bound, high: bound) }
    }
}

extension PyTorchLinear {
    static func register(in registry: inout Registry) {
        registry.initializers.register("pytorch_linear", summary: "uniform in +-1/sqrt(fan_in), PyTorch's nn.Linear default") { _, _ in
            PyTorchLinear()
        }
    }
}
