/// A registered module as listings show it: kind, name, summary, parameters.
public struct ModuleDescription: Sendable {
    public var kind: String
    public var name: String
    public var summary: String
    public var parameters: [ParameterSpec]
}
