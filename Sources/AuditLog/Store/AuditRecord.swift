import Crypto
import Foundation

/// One line of the log: an event with its place in the chain. `seq` counts records across all
/// files of a directory; `prev` is the SHA-256 of the previous record's line (its exact bytes,
/// without the newline), or `AuditRecord.genesis` for the first record ever written.
public struct AuditRecord: Sendable, Equatable, Codable {
    /// The sequence number, one more than the previous record's.
    public var seq: UInt64
    /// Hex SHA-256 of the previous record's line.
    public var prev: String
    /// What the record says.
    public var event: AuditEvent

    /// The `prev` of the first record of a chain.
    public static let genesis = String(repeating: "0", count: 64)

    /// A record.
    public init(seq: UInt64, prev: String, event: AuditEvent) {
        self.seq = seq
        self.prev = prev
        self.event = event
    }

    private enum CodingKeys: String, CodingKey {
        case seq, prev
    }

    /// Decodes a line: `seq`, `prev` and the event's flat fields.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        seq = try container.decode(UInt64.self, forKey: .seq)
        prev = try container.decode(String.self, forKey: .prev)
        event = try AuditEvent(from: decoder)
    }

    /// Encodes `seq`, `prev` and the event into one flat object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(seq, forKey: .seq)
        try container.encode(prev, forKey: .prev)
        try event.encode(to: encoder)
    }

    /// Hex SHA-256 of a line's bytes: the `prev` of the record after it.
    public static func hash<Bytes: Sequence<UInt8>>(line: Bytes) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(line))
        return hexString(hasher.finalize())
    }

    /// Decodes one line (without its newline).
    public static func decode<Bytes: Sequence<UInt8>>(line: Bytes) throws -> AuditRecord {
        try JSONDecoder().decode(AuditRecord.self, from: Data(line))
    }
}

/// Lowercase hex of bytes.
func hexString<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// Writes records as lines. The `seq` and `prev` come first so that a person reading the file
/// sees the chain before the content.
struct AuditLineEncoder {
    /// The line for `event` at `seq` after `prev`, without the newline.
    func line(seq: UInt64, prev: String, event: AuditEvent) -> [UInt8] {
        var writer = JSONWriter(capacity: 512)
        writer.beginObject()
        writer.field("seq", seq)
        writer.field("prev", prev)
        event.write(to: &writer)
        writer.endObject()
        return writer.bytes
    }
}
