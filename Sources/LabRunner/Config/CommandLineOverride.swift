import Foundation
import LabCore

/// `--set key.path=value` from the command line: the value is YAML, so
/// `--set training.epochs=500`, `--set model.mlp.bias=false` and
/// `--set 'training.corruption={type: masking, probability: 0.3}'` all work.
public enum CommandLineOverride {
    public static func parse(_ assignment: String) throws -> ConfigOverride {
        let origin = SourceLocation(file: "--set \(assignment)", line: 0, column: 0)
        guard let equals = assignment.firstIndex(of: "=") else {
            throw ConfigError(location: origin, keyPath: "", message: "expected key.path=value",
                              allowed: "a dotted key path, '=', then a YAML value")
        }
        let keyPath = String(assignment[..<equals]).trimmingCharacters(in: .whitespaces)
        let text = String(assignment[assignment.index(after: equals)...])
        let value = text.trimmingCharacters(in: .whitespaces).isEmpty
            ? ConfigNode(.null, location: origin, keyPath: keyPath)
            : try YAMLConfigLoader.parse(text, file: "--set \(keyPath)")
        return try ConfigOverride(keyPath: keyPath, value: value, origin: origin)
    }
}
