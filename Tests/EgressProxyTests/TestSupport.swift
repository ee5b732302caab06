import EgressProxy
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SandboxPolicy

#if canImport(Glibc)
import Glibc
#endif

/// A bound, listening TCP socket on a loopback address, as the launcher would hand one over.
func listeningSocket(_ address: String = "127.0.0.1") throws -> (fd: CInt, port: UInt16) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw TestFailure("socket: errno \(errno)") }
    var sa = sockaddr_in()
    sa.sin_family = sa_family_t(AF_INET)
    inet_pton(AF_INET, address, &sa.sin_addr)
    let bound = withUnsafePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    guard bound == 0, listen(fd, 1024) == 0 else { throw TestFailure("bind/listen \(address): errno \(errno)") }
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return (fd, UInt16(bigEndian: sa.sin_port))
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Records kept in memory for assertions.
final class MemorySink: EgressRecordSink {
    private let box = NIOLockedValueBox<[EgressRecord]>([])
    func record(_ record: EgressRecord) { box.withLockedValue { $0.append(record) } }
    var records: [EgressRecord] { box.withLockedValue { $0 } }

    /// Waits (bounded) until a record satisfying `match` arrives; records are written when a
    /// connection ends, which may be just after the client saw the end.
    func waitFor(_ match: (EgressRecord) -> Bool) async -> EgressRecord? {
        for _ in 0..<800 {
            if let r = records.first(where: match) { return r }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return nil
    }
}

/// The procfs lookup, with a way for a test to wait until it has answered: a client must hold
/// its socket until then, since a closed socket can no longer be traced to its process.
final class ObservedCallerLookup: CallerLookup {
    private let lookup = ProcfsCallerLookup()
    private let answers = NIOLockedValueBox<[Caller?]>([])

    func caller(client: SocketEndpoint, server: SocketEndpoint) -> Caller? {
        let found = lookup.caller(client: client, server: server)
        answers.withLockedValue { $0.append(found) }
        return found
    }

    /// Waits (bounded) for the first answer.
    func firstAnswer() async -> Caller?? {
        for _ in 0..<400 {
            if let first = answers.withLockedValue({ $0.first }) { return first }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return nil
    }
}

/// The result of a child process.
struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a program to completion with a bounded run time (it is killed after `timeout`).
func run(_ argv: [String], environment: [String: String] = [:], input: String? = nil, timeout: TimeInterval = 30) throws -> ProcessResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = argv
    var env = ProcessInfo.processInfo.environment
    for name in ["http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "no_proxy", "NO_PROXY"] {
        env.removeValue(forKey: name)
    }
    env.merge(environment) { $1 }
    p.environment = env
    let out = Pipe()
    let err = Pipe()
    let inPipe = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = inPipe
    try p.run()
    let pid = p.processIdentifier
    let killer = DispatchWorkItem { kill(pid, SIGKILL) }
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
    if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
    try inPipe.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    killer.cancel()
    return ProcessResult(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}

/// The loopback origin servers (plain HTTP, HTTPS with a certificate made for the test names,
/// raw echo) in a child process.
final class Origin {
    let directory: URL
    let process: Process
    let stdin: Pipe
    let httpPort: UInt16
    let httpsPort: UInt16
    let echoPort: UInt16
    var certificate: String { directory.appendingPathComponent("cert.pem").path }

    init(address: String = "127.0.0.1") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cordon-egress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let cert = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let made = try run([
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=allowed.test",
            "-addext", "subjectAltName=DNS:allowed.test", "-keyout", key, "-out", cert,
        ])
        guard made.status == 0 else { throw TestFailure("openssl: \(made.stderr)") }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/origin.py").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, address, cert, key]
        let out = Pipe()
        stdin = Pipe()
        process.standardOutput = out
        process.standardInput = stdin
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { throw TestFailure("origin server exited before it was ready") }
            line.append(chunk)
        }
        let fields = String(decoding: line, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard fields.count == 4, fields[0] == "READY" else { throw TestFailure("origin server said \(fields)") }
        httpPort = UInt16(fields[1])!
        httpsPort = UInt16(fields[2])!
        echoPort = UInt16(fields[3])!
    }

    func stop() {
        try? stdin.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A running proxy for one test session.
struct ProxyFixture {
    let group: MultiThreadedEventLoopGroup
    let session: EgressSession
    let server: EgressProxyServer
    let resolver: NameMapResolver
    let sink: MemorySink
    let port: UInt16
    var url: String { "http://127.0.0.1:\(port)" }

    init(
        allow: [String], names: [String: [String]], limits: EgressLimits = EgressLimits(),
        callerLookup: any CallerLookup = ProcfsCallerLookup()
    ) async throws {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        resolver = NameMapResolver(names)
        sink = MemorySink()
        let patterns = try allow.map { try NetworkEndpointPattern(parsing: $0) }
        session = EgressSession(
            id: "test", rules: EgressRules(allowed: patterns), resolver: resolver, sink: sink, limits: limits,
            hostAddresses: [], callerLookup: callerLookup, logger: Logger(label: "egress-test"))
        let (fd, port) = try listeningSocket()
        self.port = port
        server = try await EgressProxyServer.start(session: session, listeningSockets: [fd], group: group).get()
    }

    func stop() async throws {
        try await server.close().get()
        try await group.shutdownGracefully()
    }
}

/// A blocking TCP client for byte-level checks.
final class RawClient {
    let fd: CInt

    init(port: UInt16, address: String = "127.0.0.1") throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET)
        sa.sin_port = port.bigEndian
        inet_pton(AF_INET, address, &sa.sin_addr)
        let rc = withUnsafePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0 else { throw TestFailure("connect to \(address):\(port): errno \(errno)") }
        var tv = timeval(tv_sec: 15, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) { _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
    func send(_ text: String) { send(Array(text.utf8)) }

    /// Reads until `count` bytes, the end of stream or a timeout; `nil` means timeout/error
    /// before anything, `[]` means end of stream.
    func receive(atMost count: Int = 65536) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, count, 0) }
        if n < 0 { return nil }
        return Array(buffer[0..<n])
    }

    /// Reads until `marker` appears or the stream ends.
    func receive(until marker: String) -> String {
        var got = [UInt8]()
        while !String(decoding: got, as: UTF8.self).contains(marker) {
            guard let more = receive(), !more.isEmpty else { break }
            got += more
        }
        return String(decoding: got, as: UTF8.self)
    }
}
