import Testing
import LabCore
@testable import LabModules

/// Every built-in module builds from its declared parameters alone, and
/// resolves to exactly the keys it declares.
@Suite struct RegistryTests {
    static let registry = BuiltinModules.registry

    /// A value each required parameter accepts.
    static func sample(_ spec: ParameterSpec) -> ConfigValue {
        let low = spec.range?.lower.map { spec.range!.lowerInclusive ? $0 : $0 + 0.5 } ?? 1
        switch spec.kind {
        case .integer: return .int(Int(max(low, 1)))
        case .number: return .double(max(low, 0.5))
        case .boolean: return .bool(true)
        case .text: return .string(spec.allowed?.first ?? "x")
        case .integers: return .list([.int(16)])  // a sample of the 16 values built below
        case .numbers: return .list([.double(max(low, 0.5))])
        case .module: return .string("zeros")
        }
    }

    static let imageLayers: Set = ["conv2d", "conv_transpose2d", "maxpool2d", "upsample2d"]
    /// Datasets that need their files; LabIOTests builds them from files it writes.
    static let fileDatasets: Set = ["mnist", "fashion_mnist", "cifar10"]

    static func check<Product>(_ table: ModuleTable<Product>, inputShape: [Int] = [16]) throws {
        for description in table.descriptions where !fileDatasets.contains(description.name) {
            let inputShape = imageLayers.contains(description.name) ? [4, 4, 1] : inputShape
            let required = description.parameters.filter { $0.defaultValue == nil && !$0.optional }
            let node = ConfigNode.synthesized(.map([ConfigValue.Entry("type", .string(description.name))]
                + required.map { ConfigValue.Entry($0.name, sample($0)) }), keyPath: "test")
            let (_, resolved) = try table.build(node, context: BuildContext(registry: registry, inputShape: inputShape, seed: 1))
            guard case .map(let entries) = resolved else { Issue.record("\(description.name): resolved is not a mapping"); continue }
            let declared = Set(description.parameters.map(\.name))
            #expect(Set(entries.map(\.key)).subtracting(["type"]).isSubset(of: declared), "\(table.kind) \(description.name)")
        }
    }

    @Test func everyModuleBuildsFromItsDeclarations() throws {
        try Self.check(Self.registry.layers)
        try Self.check(Self.registry.activations)
        try Self.check(Self.registry.losses)
        try Self.check(Self.registry.optimizers)
        try Self.check(Self.registry.initializers)
        try Self.check(Self.registry.datasets)
        try Self.check(Self.registry.corruptions, inputShape: [4, 4, 1])  // images, for occlusion and rotation
        try Self.check(Self.registry.regularizers)
        try Self.check(Self.registry.schedules)
        try Self.check(Self.registry.analyses)
        #expect(Self.registry.descriptions.count == 54)
    }

    @Test func declarationsDescribeThemselves() {
        let rmsprop = Self.registry.optimizers.descriptions.first { $0.name == "rmsprop" }!
        let variant = rmsprop.parameters.first { $0.name == "variant" }!
        #expect(variant.typeDescription == "one of keras, pytorch")
        #expect(variant.defaultDescription == "default keras")
        #expect(rmsprop.parameters.first { $0.name == "rho" }!.defaultDescription == "optional")
        let units = Self.registry.layers.descriptions.first { $0.name == "dense" }!.parameters[0]
        #expect(units.typeDescription == "integer >= 1" && units.defaultDescription == "required")
    }
}
