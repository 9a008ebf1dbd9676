/// JSON's form of a resolved value: maps as objects, lists as arrays. A
/// non-finite number has no JSON form and is written as null, which reads
/// back as NaN.
extension ConfigValue: Codable {
    /// A JSON object's key of any name.
    public struct JSONKey: CodingKey {
        public var stringValue: String
        public var intValue: Int? { nil }
        public init(stringValue: String) { self.stringValue = stringValue }
        public init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .map(let entries):
            var container = encoder.container(keyedBy: JSONKey.self)
            for entry in entries { try container.encode(entry.value, forKey: JSONKey(stringValue: entry.key)) }
        case .list(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case .string(let text): var container = encoder.singleValueContainer(); try container.encode(text)
        case .int(let number): var container = encoder.singleValueContainer(); try container.encode(number)
        case .bool(let flag): var container = encoder.singleValueContainer(); try container.encode(flag)
        case .double(let number):
            var container = encoder.singleValueContainer()
            if number.isFinite { try container.encode(number) } else { try container.encodeNil() }
        }
    }

    public init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: JSONKey.self) {
            self = .map(try object.allKeys.sorted { $0.stringValue < $1.stringValue }.map {
                Entry($0.stringValue, try object.decode(ConfigValue.self, forKey: $0))
            })
        } else if var array = try? decoder.unkeyedContainer() {
            var items: [ConfigValue] = []
            while !array.isAtEnd { items.append(try array.decode(ConfigValue.self)) }
            self = .list(items)
        } else {
            self = try Self.scalar(decoder.singleValueContainer())
        }
    }

    static func scalar(_ container: any SingleValueDecodingContainer) throws -> ConfigValue {
        if container.decodeNil() { return .double(.nan) }
        if let flag = try? container.decode(Bool.self) { return .bool(flag) }
        if let number = try? container.decode(Int.self) { return .int(number) }
        if let number = try? container.decode(Double.self) { return .double(number) }
        return .string(try container.decode(String.self))
    }
}
