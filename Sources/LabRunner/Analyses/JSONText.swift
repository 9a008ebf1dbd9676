import Foundation
import LabCore

/// JSON text for resolved values and results, keys in their given order.
/// Non-finite numbers (no JSON form) become null.
enum JSONText {
    static func encode(_ value: ConfigValue, indent: String = "") -> String {
        let inner = indent + "  "
        switch value {
        case .string(let text): return quote(text)
        case .int(let number): return String(number)
        case .double(let number): return number.isFinite ? String(number) : "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .list(let items):
            guard !items.isEmpty else { return "[]" }
            if items.allSatisfy({ if case .map = $0 { return false } else { return true } }) {
                return "[" + items.map { encode($0) }.joined(separator: ", ") + "]"
            }
            return "[\n" + items.map { inner + encode($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .map(let entries):
            guard !entries.isEmpty else { return "{}" }
            return "{\n" + entries.map { "\(inner)\(quote($0.key)): \(encode($0.value, indent: inner))" }
                .joined(separator: ",\n") + "\n\(indent)}"
        }
    }

    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
