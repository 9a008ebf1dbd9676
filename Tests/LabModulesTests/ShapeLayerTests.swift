import Testing
import LabCore
import TestSupport
@testable import LabModules

@Suite struct ShapeLayerTests {
    @Test func normalizeGradientsAndJVP() {
        let layer = Normalize(inputShape: [5])
        let input = FiniteDifferences.inputAwayFromZero(shape: [3, 5])
        #expect(FiniteDifferences.relativeErrors(layer, input: input)["input"]! < 1e-3)
        #expect(FiniteDifferences.jvpRelativeError(layer, input: input) < 1e-3)
        let output = layer.forward(input).output
        for row in 0..<3 { #expect(abs(output.rows(row..<(row + 1)).scalars.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5) }
    }

    @Test func flattenAndReshapeKeepValuesAndInvertInBackward() throws {
        let flatten = Reshape(typeName: "flatten", inputShape: [2, 3, 1], outputShape: [6])
        let input = Tensor(shape: [2, 2, 3, 1], scalars: (0..<12).map(Float.init))
        let (output, cache) = flatten.forward(input)
        #expect(output.shape == [2, 6] && output.scalars == input.scalars)
        #expect(flatten.backward(output, cache: cache, needsInputGradient: true)?.shape == [2, 2, 3, 1])
        #expect(FiniteDifferences.relativeErrors(flatten, input: input)["input"]! < 1e-3)

        let registry = BuiltinModules.registry
        let node = ConfigNode.synthesized(.map([.init("type", .string("reshape")), .init("shape", .list([.int(4), .int(2)]))]), keyPath: "layers[0]")
        #expect(throws: ConfigError.self) { try registry.buildLayer(node, context: BuildContext(registry: registry, inputShape: [6])) }
        #expect(try registry.buildLayer(node, context: BuildContext(registry: registry, inputShape: [8])).layer.outputShape == [4, 2])
    }
}
