import LabCore

/// Registers `silu`. aelab calls this from its module catalog.
public enum SiLUActivationPlugin {
    public static func register(in registry: inout Registry) {
        registry.activations.register("silu", summary: "x * sigmoid(beta x), also called swish", parameters: [
            .number("beta", default: 1, range: .positive, doc: "slope inside the sigmoid; 1 is SiLU"),
        ]) { config, _ in
            SiLU(beta: Float(try config.double("beta")))
        }
    }
}
