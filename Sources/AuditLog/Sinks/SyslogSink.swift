import Foundation

/// Sends every record to a syslog daemon as an RFC 5424 message whose MSG is the record's line,
/// over a unix datagram socket (`/dev/log`), UDP, or TCP with octet-counting framing (RFC 6587).
public struct SyslogSink: AuditSink {
    /// Where the daemon listens.
    public enum Transport: Sendable, Equatable {
        /// A unix datagram socket, e.g. `/dev/log`.
        case unix(path: String)
        /// UDP, one datagram per message.
        case udp(host: String, port: Int)
        /// TCP, each message preceded by its length and a space.
        case tcp(host: String, port: Int)
    }

    /// Where the daemon listens.
    public var transport: Transport
    /// The syslog facility; 13 (log audit) by default.
    public var facility: Int
    /// The HOSTNAME field.
    public var hostname: String
    /// The APP-NAME field.
    public var appName: String
    /// Send and connect timeout.
    public var timeoutSeconds: Int

    /// A sink for `transport`.
    public init(transport: Transport, facility: Int = 13, hostname: String = ProcessInfo.processInfo.hostName,
                appName: String = "cordon", timeoutSeconds: Int = 5) {
        self.transport = transport
        self.facility = facility
        self.hostname = hostname
        self.appName = appName
        self.timeoutSeconds = timeoutSeconds
    }

    /// Sends each record as one message.
    public func deliver(_ records: [(record: AuditRecord, line: [UInt8])]) throws {
        let socket: SinkSocket
        switch transport {
        case .unix(let path):
            socket = try SinkSocket(unixPath: path, timeoutSeconds: timeoutSeconds)
        case .udp(let host, let port):
            socket = try SinkSocket(host: host, port: port, type: Int32(SOCK_DGRAM.rawValue), timeoutSeconds: timeoutSeconds)
        case .tcp(let host, let port):
            socket = try SinkSocket(host: host, port: port, type: Int32(SOCK_STREAM.rawValue), timeoutSeconds: timeoutSeconds)
        }
        var stream = [UInt8]()
        for entry in records {
            let message = self.message(for: entry.record, line: entry.line)
            if case .tcp = transport {
                stream += Array("\(message.count) ".utf8) + message
            } else {
                try socket.send(message)
            }
        }
        if !stream.isEmpty { try socket.send(stream) }
    }

    /// The RFC 5424 message: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] MSG`.
    public func message(for record: AuditRecord, line: [UInt8]) -> [UInt8] {
        let event = record.event
        let severity: Int
        switch event.body {
        case .decision(let decision): severity = decision.decision == .deny ? 4 : 6
        case .layerFailure(let failure): severity = failure.fatal ? 2 : 3
        case .supervisorError, .auditGap: severity = 3
        case .sessionStart, .sessionStop, .logRotated: severity = 6
        }
        let procID = event.decision?.pid.map(String.init) ?? "-"
        // 32473 is the enterprise number RFC 5612 sets aside for examples and private use.
        var structured = "[cordon@32473 session=\"\(Self.escape(event.session))\" seq=\"\(record.seq)\""
        if let decision = event.decision { structured += " decision=\"\(decision.decision.rawValue)\"" }
        structured += "]"
        let header = "<\(facility * 8 + severity)>1 \(event.time) \(Self.field(hostname, max: 255)) "
            + "\(Self.field(appName, max: 48)) \(procID) \(event.kind.rawValue) \(structured) "
        return Array(header.utf8) + line
    }

    /// A header field: printable ASCII without spaces, or `-`.
    private static func field(_ value: String, max: Int) -> String {
        let printable = String(value.unicodeScalars.filter { $0.value > 32 && $0.value < 127 }.prefix(max).map(Character.init))
        return printable.isEmpty ? "-" : printable
    }

    /// An SD-PARAM value with `"`, `\` and `]` escaped.
    private static func escape(_ value: String) -> String {
        var out = ""
        for character in value {
            if character == "\"" || character == "\\" || character == "]" { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
