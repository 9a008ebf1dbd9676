/// A network was asked to split at a layer it does not have.
public struct NetworkSplitError: LabError, Sendable {
    public let layer: String
    public let names: [String]

    public var description: String {
        "no layer named '\(layer)'\(ConfigReader.suggestion(for: layer, among: names)) (the network has \(names.joined(separator: ", ")))"
    }
}
