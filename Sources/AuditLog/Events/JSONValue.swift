/// A JSON document held as a value: the policy input and result of a decision, mask values, and
/// the OPA and OCSF encodings. AuditLog keeps its own type so that it depends on no other module.
public enum JSONValue: Sendable, Hashable, Codable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer that fits in 64 bits.
    case int(Int64)
    /// Any other number.
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object; encoded with sorted keys wherever Cordon writes one.
    case object([String: JSONValue])

    /// Decodes any JSON value, preferring integers for numbers without a fraction.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Encodes the value as the JSON it stands for.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The member `key` of an object, or nil.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }
}

extension JSONValue {
    /// Builds an object from the members that are present, so that optional fields stay out of
    /// the document instead of appearing as `null`.
    static func compactObject(_ members: [(String, JSONValue?)]) -> JSONValue {
        var object: [String: JSONValue] = [:]
        for (key, value) in members {
            if let value { object[key] = value }
        }
        return .object(object)
    }

    /// A string member, or nil when the value is absent.
    static func string(_ value: String?) -> JSONValue? { value.map(JSONValue.string) }

    /// An integer member, or nil when the value is absent.
    static func int<T: BinaryInteger>(_ value: T?) -> JSONValue? { value.map { .int(Int64($0)) } }
}
