import LabCore

/// Reorders the values of every sample by one fixed permutation, drawn once
/// from `seed`: the structure-destroying control of memorisation studies.
public struct PixelPermutation: Corruption {
    public let permutation: [Int]

    public init(size: Int, seed: UInt64) {
        var rng = RandomGenerator(seed: seed)
        permutation = rng.permutation(size)
    }

    public func corrupt(_ batch: Tensor, using rng: inout RandomGenerator) -> Tensor {
        let width = permutation.count
        return batch.withUnsafeBufferPointer { source in
            Tensor(shape: batch.shape) { out in
                for row in 0..<batch.rows {
                    let base = row * width
                    for (index, from) in permutation.enumerated() { out[base + index] = source[base + from] }
                }
            }
        }
    }
}

extension PixelPermutation {
    static func register(in registry: inout Registry) {
        registry.corruptions.register("permutation", summary: "one fixed random permutation of every sample's values", parameters: [
            .integer("seed", range: .nonNegative, optional: true, doc: "the permutation's seed (default: derived from the experiment's)"),
        ]) { config, context in
            PixelPermutation(size: context.inputShape.reduce(1, *),
                             seed: UInt64(try config.int("seed", default: Int(context.seed % (1 << 31)) + 11)))
        }
    }
}
