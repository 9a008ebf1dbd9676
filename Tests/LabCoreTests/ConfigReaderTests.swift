import Testing
@testable import LabCore

@Suite struct ConfigReaderTests {
    func node(_ pairs: [(String, String)], file: String = "exp.yaml") -> ConfigNode {
        ConfigNode(.mapping(pairs.enumerated().map { index, pair in
            (key: pair.0, value: ConfigNode(.scalar(pair.1), location: SourceLocation(file: file, line: index + 3, column: 5),
                                              keyPath: "training.\(pair.0)"))
        }), location: SourceLocation(file: file, line: 2, column: 1), keyPath: "training")
    }

    @Test func readsValuesAndRecordsDefaults() throws {
        let reader = try ConfigReader(node([("epochs", "10"), ("rate", "1e-3")]))
        #expect(try reader.int("epochs", range: .atLeast(1)) == 10)
        #expect(try reader.double("rate", range: .positive) == 0.001)
        #expect(try reader.bool("shuffle", default: true))
        try reader.finish()
        #expect(reader.resolvedValue == .map([.init("epochs", .int(10)), .init("rate", .double(0.001)), .init("shuffle", .bool(true))]))
    }

    @Test func unknownKeyNamesLineKeyPathAndAllowedKeys() throws {
        let reader = try ConfigReader(node([("epochs", "10"), ("epoch", "3")]))
        _ = try reader.int("epochs")
        _ = try reader.int("batch_size", default: 32)
        let error = #expect(throws: ConfigError.self) { try reader.finish() }
        #expect(error?.description == "exp.yaml:4:5: error: training.epoch: unknown key 'epoch' (did you mean 'epochs'?) (allowed: epochs, batch_size)")
    }

    @Test func wrongTypeAndRangeAndMissingKey() throws {
        let reader = try ConfigReader(node([("width", "-3"), ("shuffle", "maybe")]))
        let range = #expect(throws: ConfigError.self) { try reader.int("width", range: .atLeast(1)) }
        #expect(range?.description == "exp.yaml:3:5: error: training.width: -3 is out of range (allowed: an integer >= 1)")
        let type = #expect(throws: ConfigError.self) { try reader.bool("shuffle") }
        #expect(type?.description.contains("training.shuffle: expected true or false, got 'maybe'") == true)
        let missing = #expect(throws: ConfigError.self) { try reader.int("epochs") }
        #expect(missing?.description == "exp.yaml:2:1: error: training.epochs: missing required key 'epochs' (allowed: an integer)")
    }

    @Test func integersRejectFractionsButAcceptExponents() throws {
        let reader = try ConfigReader(node([("a", "1e3"), ("b", "2.5")]))
        #expect(try reader.int("a") == 1000)
        #expect(throws: ConfigError.self) { try reader.int("b") }
    }
}
