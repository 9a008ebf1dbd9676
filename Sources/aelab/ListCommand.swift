import ArgumentParser
import LabCore

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every module a config can name, with its parameters (built-ins and plugins alike).")

    @Argument(help: "Only this kind: dataset, layer, activation, initializer, loss, optimizer, corruption or analysis.")
    var kind: String?

    func run() throws {
        let descriptions = ModuleCatalog.registry.descriptions
        let kinds = descriptions.reduce(into: [String]()) { if !$0.contains($1.kind) { $0.append($1.kind) } }
        if let kind, !kinds.contains(kind) {
            throw ValidationError("unknown kind '\(kind)'; kinds: \(kinds.joined(separator: ", "))")
        }
        for current in kinds where kind == nil || kind == current {
            print("\(current)")
            for module in descriptions where module.kind == current {
                print("  \(module.name): \(module.summary)")
                let width = module.parameters.map(\.name.count).max() ?? 0
                for parameter in module.parameters {
                    let name = parameter.name.padding(toLength: width, withPad: " ", startingAt: 0)
                    print("      \(name)  \(parameter.typeDescription), \(parameter.defaultDescription): \(parameter.doc)")
                }
            }
            print("")
        }
    }
}
