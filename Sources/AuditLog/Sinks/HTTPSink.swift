import Foundation

/// Posts batches of records to an HTTP endpoint as a gzip-compressed JSON array: either OPA
/// decision-log events (what an OPA decision-log service accepts at `/logs`) or the raw records
/// (a generic webhook). Plain HTTP/1.1 over a blocking socket: the endpoint is expected on
/// loopback or behind a local forwarder.
public struct HTTPSink: AuditSink {
    /// What the body holds.
    public enum Format: Sendable {
        /// OPA decision-log events; records that are not decisions are skipped.
        case opaDecisionLog(DecisionLogEncoder)
        /// The records as written, one array element each.
        case records
    }

    /// The host to connect to.
    public var host: String
    /// The port.
    public var port: Int
    /// The request path, e.g. `/logs`.
    public var path: String
    /// What the body holds.
    public var format: Format
    /// Whether to gzip the body.
    public var gzip: Bool
    /// Extra request headers, e.g. an `Authorization` header.
    public var headers: [String: String]
    /// Connect, send and receive timeout.
    public var timeoutSeconds: Int

    /// A sink for `url` (`http://host:port/path`).
    public init(url: String, format: Format, gzip: Bool = true, headers: [String: String] = [:],
                timeoutSeconds: Int = 10) throws {
        guard let parsed = URLComponents(string: url), parsed.scheme == "http", let host = parsed.host,
              !host.isEmpty else {
            throw AuditError(.invalidArgument, operation: "configure HTTP sink", path: url,
                             detail: "not an http:// URL with a host", remedy: "use http://host:port/path")
        }
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        self.port = parsed.port ?? 80
        self.path = parsed.percentEncodedPath.isEmpty ? "/" : parsed.percentEncodedPath
        self.format = format
        self.gzip = gzip
        self.headers = headers
        self.timeoutSeconds = timeoutSeconds
    }

    /// Posts one batch; throws unless the server answers 2xx.
    public func deliver(_ records: [(record: AuditRecord, line: [UInt8])]) throws {
        var body: [UInt8] = [91]
        var count = 0
        switch format {
        case .opaDecisionLog(let encoder):
            let json = JSONEncoder()
            json.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for entry in records {
                guard let event = encoder.event(for: entry.record) else { continue }
                if count > 0 { body.append(44) }
                body += try json.encode(event)
                count += 1
            }
        case .records:
            for entry in records {
                if count > 0 { body.append(44) }
                body += entry.line
                count += 1
            }
        }
        body.append(93)
        guard count > 0 else { return }
        if gzip { body = try Gzip.compress(body) }
        try post(body)
    }

    private func post(_ body: [UInt8]) throws {
        let endpoint = "http://\(host):\(port)\(path)"
        let socket = try SinkSocket(host: host, port: port, type: Int32(SOCK_STREAM.rawValue), timeoutSeconds: timeoutSeconds)
        var head = "POST \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nUser-Agent: cordon-audit\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        if gzip { head += "Content-Encoding: gzip\r\n" }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        try socket.send(Array((head + "\r\n").utf8) + body)
        let response = try socket.receive(limit: 65_536) { received in
            received.count >= 12 && received.contains(10)
        }
        let statusLine = String(decoding: response.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw AuditError(.sinkFailed, operation: "POST", path: endpoint, detail: "no HTTP response",
                             remedy: "records stay in the log and are sent when the endpoint answers")
        }
        guard (200..<300).contains(status) else {
            throw AuditError(.sinkFailed, operation: "POST", path: endpoint, detail: "the server answered \(statusLine)",
                             remedy: "records stay in the log and are sent when the endpoint accepts them")
        }
    }
}
