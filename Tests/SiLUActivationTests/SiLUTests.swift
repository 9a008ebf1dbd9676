import Testing
import LabCore
import TestSupport
@testable import SiLUActivation

/// The plugin activation passes the same checks as the built-ins.
@Suite struct SiLUTests {
    @Test(arguments: [Float(1), 2.5])
    func gradientsAndJVPMatchFiniteDifferences(beta: Float) {
        let layer = ActivationLayer(typeName: "silu", activation: SiLU(beta: beta), inputShape: [6])
        let input = FiniteDifferences.inputAwayFromZero(shape: [3, 6])
        let errors = FiniteDifferences.relativeErrors(layer, input: input)
        #expect(errors["input"]! < 1e-3, "relative error \(errors["input"]!)")
        #expect(FiniteDifferences.jvpRelativeError(layer, input: input) < 1e-3)
    }

    @Test func knownValues() {
        let silu = SiLU()
        #expect(silu.value(0) == 0)
        #expect(abs(silu.value(10) - 10) < 1e-3)
        #expect(abs(silu.value(-10)) < 1e-3)
        #expect(silu.derivative(input: 0, output: 0) == 0.5)
    }

    @Test func registersWithItsParameter() throws {
        var registry = Registry()
        SiLUActivationPlugin.register(in: &registry)
        let node = ConfigNode.synthesized(.map([.init("type", .string("silu")), .init("beta", .double(2))]), keyPath: "activation")
        let (activation, resolved) = try registry.activations.build(node, context: BuildContext(registry: registry))
        #expect((activation as? SiLU)?.beta == 2)
        #expect(resolved == .map([.init("type", .string("silu")), .init("beta", .double(2))]))
    }
}
