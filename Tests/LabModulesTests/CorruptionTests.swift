import Testing
import LabCore
@testable import LabModules

@Suite struct CorruptionTests {
    static let registry = BuiltinModules.registry

    func build(_ entries: [ConfigValue.Entry], sampleShape: [Int]) throws -> any Corruption {
        try Self.registry.corruptions.build(.synthesized(.map(entries), keyPath: "training.corruption"),
                                            context: BuildContext(registry: Self.registry, inputShape: sampleShape)).module
    }

    func ramp(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { Float($0 % 97 + 1) / 100 })
    }

    @Test func maskingAndSaltAndPepperHitTheirRates() throws {
        var rng = RandomGenerator(seed: 1)
        let clean = ramp([100, 100])
        let masked = MaskingNoise(probability: 0.3).corrupt(clean, using: &rng)
        let zeroed = zip(masked.scalars, clean.scalars).filter { $0.0 != $0.1 }
        #expect(abs(Double(zeroed.count) / 10_000 - 0.3) < 0.02 && zeroed.allSatisfy { $0.0 == 0 })
        let salted = SaltAndPepperNoise(probability: 0.2, low: -1, high: 2).corrupt(clean, using: &rng)
        let changed = salted.scalars.filter { $0 == -1 || $0 == 2 }
        #expect(abs(Double(changed.count) / 10_000 - 0.2) < 0.02)
        #expect(abs(Double(changed.filter { $0 == 2 }.count) / Double(changed.count) - 0.5) < 0.05)
    }

    @Test func occlusionBlanksExactlyItsPatch() throws {
        var rng = RandomGenerator(seed: 2)
        let clean = ramp([3, 4, 5, 2])
        let fixed = try build([.init("type", .string("occlusion")), .init("size", .int(2)), .init("at", .list([.int(1), .int(2)])),
                               .init("value", .double(-1))], sampleShape: [4, 5, 2]).corrupt(clean, using: &rng)
        for image in 0..<3 {
            for row in 0..<4 {
                for column in 0..<5 {
                    for channel in 0..<2 {
                        let index = image * 40 + (row * 5 + column) * 2 + channel
                        let inside = (1...2).contains(row) && (2...3).contains(column)
                        #expect(fixed[index] == (inside ? -1 : clean[index]))
                    }
                }
            }
        }
        let random = try build([.init("type", .string("occlusion")), .init("size", .int(3)), .init("image_shape", .list([.int(4), .int(5), .int(2)]))],
                               sampleShape: [40]).corrupt(clean.reshaped([3, 40]), using: &rng)
        for image in 0..<3 { #expect(random.scalars[(image * 40)..<((image + 1) * 40)].filter { $0 == 0 }.count == 18) }
    }

    @Test func rotationKeepsTheImageAtZeroAndAConstantInside() throws {
        var rng = RandomGenerator(seed: 3)
        let image = ramp([2, 6, 6, 1])
        #expect(Rotation(geometry: ImageGeometry(height: 6, width: 6, channels: 1), degrees: 0, fill: 0).corrupt(image, using: &rng) == image)
        let constant = Tensor(repeating: 1, shape: [5, 9, 9, 1])
        let rotated = Rotation(geometry: ImageGeometry(height: 9, width: 9, channels: 1), degrees: 30, fill: 0).corrupt(constant, using: &rng)
        for index in 0..<5 { #expect(abs(rotated[index * 81 + 40] - 1) < 1e-6) }  // the centre pixel
        #expect(rotated.scalars.contains { $0 < 0.99 })                           // corners reach outside
        var first = RandomGenerator(seed: 9), second = RandomGenerator(seed: 9)
        let rotation = Rotation(geometry: ImageGeometry(height: 6, width: 6, channels: 1), degrees: 45, fill: 0)
        #expect(rotation.corrupt(image, using: &first) == rotation.corrupt(image, using: &second))
    }

    @Test func permutationIsOneFixedReordering() throws {
        var rng = RandomGenerator(seed: 4)
        let permutation = PixelPermutation(size: 12, seed: 5)
        let batch = ramp([2, 12])
        let once = permutation.corrupt(batch, using: &rng)
        #expect(once == permutation.corrupt(batch, using: &rng))
        #expect(once.rows(0..<1).scalars.sorted() == batch.rows(0..<1).scalars.sorted())
        #expect(once != batch)
        #expect(permutation.permutation.map { batch[12 + $0] } == Array(once.scalars[12...]))
    }

    @Test func imageCorruptionsSayWhatShapeTheyNeed() {
        let flat = #expect(throws: ConfigError.self) {
            try build([.init("type", .string("rotation")), .init("degrees", .double(10))], sampleShape: [784])
        }
        #expect(flat?.description.contains("not [height, width, channels]") == true)
        #expect(flat?.allowed == "image_shape: [height, width, channels]")
        let wrong = #expect(throws: ConfigError.self) {
            try build([.init("type", .string("rotation")), .init("degrees", .double(10)),
                       .init("image_shape", .list([.int(28), .int(28), .int(3)]))], sampleShape: [784])
        }
        #expect(wrong?.description.contains("holds 2352 values; samples hold 784") == true)
    }
}
