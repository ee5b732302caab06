#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A point in time with microsecond precision, written as RFC 3339 UTC
/// (`2026-01-02T03:04:05.123456Z`). Whole microseconds make a record decode to exactly the value
/// that was written, which the chain and the tests rely on.
public struct AuditTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microseconds: Int64

    /// A time from microseconds since the epoch.
    public init(microseconds: Int64) { self.microseconds = microseconds }

    /// A time from a `Date`, truncated to the microsecond.
    public init(_ date: Date) {
        self.microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
    }

    /// The current wall-clock time.
    public static func now() -> AuditTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return AuditTime(microseconds: Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1000)
    }

    /// The same instant as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(microseconds) / 1_000_000) }

    /// Milliseconds since the epoch, as OCSF wants them.
    public var milliseconds: Int64 { microseconds / 1000 }

    public static func < (lhs: AuditTime, rhs: AuditTime) -> Bool { lhs.microseconds < rhs.microseconds }

    /// RFC 3339 in UTC with six fractional digits. Written digit by digit: every record
    /// carries one, and string interpolation would cost more than the rest of the line.
    public var description: String {
        var seconds = time_t(microseconds.floorDivided(by: 1_000_000))
        let fraction = Int(microseconds - Int64(seconds) * 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var bytes = [UInt8](repeating: 0, count: 27)
        func put(_ value: Int, at offset: Int, width: Int) {
            var value = value
            for index in stride(from: offset + width - 1, through: offset, by: -1) {
                bytes[index] = UInt8(48 + value % 10)
                value /= 10
            }
        }
        put(Int(parts.tm_year) + 1900, at: 0, width: 4)
        bytes[4] = 45
        put(Int(parts.tm_mon) + 1, at: 5, width: 2)
        bytes[7] = 45
        put(Int(parts.tm_mday), at: 8, width: 2)
        bytes[10] = 84
        put(Int(parts.tm_hour), at: 11, width: 2)
        bytes[13] = 58
        put(Int(parts.tm_min), at: 14, width: 2)
        bytes[16] = 58
        put(Int(parts.tm_sec), at: 17, width: 2)
        bytes[19] = 46
        put(fraction, at: 20, width: 6)
        bytes[26] = 90
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses RFC 3339 (`Z` or a numeric offset, any number of fractional digits), or nil.
    public init?(rfc3339 text: String) {
        let bytes = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int32? {
            guard start + count <= bytes.count else { return nil }
            var value: Int32 = 0
            for byte in bytes[start..<start + count] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int32(byte - 48)
            }
            return value
        }
        guard bytes.count >= 20, bytes[4] == 45, bytes[7] == 45, bytes[10] == 84 || bytes[10] == 116,
              bytes[13] == 58, bytes[16] == 58,
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2)
        else { return nil }
        var index = 19
        var micro: Int64 = 0
        if index < bytes.count, bytes[index] == 46 {
            index += 1
            var scale: Int64 = 100_000
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                micro += Int64(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offsetSeconds: Int64 = 0
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case 90, 122:
            guard index + 1 == bytes.count else { return nil }
        case 43, 45:
            guard index + 6 == bytes.count, bytes[index + 3] == 58,
                  let offsetHour = number(index + 1, 2), let offsetMinute = number(index + 4, 2)
            else { return nil }
            offsetSeconds = Int64(offsetHour) * 3600 + Int64(offsetMinute) * 60
            if bytes[index] == 43 { offsetSeconds = -offsetSeconds }
        default:
            return nil
        }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        let seconds = Int64(timegm(&parts)) + offsetSeconds
        self.microseconds = seconds * 1_000_000 + micro
    }

    /// Decodes an RFC 3339 string.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let time = AuditTime(rfc3339: text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "not an RFC 3339 time: \(text)"))
        }
        self = time
    }

    /// Encodes as an RFC 3339 string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Int64 {
    /// Division rounding toward negative infinity, so that times before 1970 format correctly.
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }
}
