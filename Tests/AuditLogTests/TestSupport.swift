import Foundation
import Logging
import Testing

@testable import AuditLog

/// A fresh directory under the system temporary directory, removed by `cleanup()`. Every test
/// has its own, and its own XDG state directory inside it.
struct TemporaryDirectory {
    let path: String

    init() {
        var template = Array((NSTemporaryDirectory() + "/cordon-audit-test-XXXXXX").utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    /// The audit directory as `$XDG_STATE_HOME/cordon/audit` with XDG_STATE_HOME inside this one.
    var audit: AuditDirectory {
        AuditDirectory.defaultDirectory(environment: ["XDG_STATE_HOME": path + "/state", "HOME": path])
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

let testLogger = Logger(label: "cordon.audit.test")

func decisionEvent(_ index: Int, session: String = "s1", outcome: AuditEvent.DecisionOutcome = .allow) -> AuditEvent {
    AuditEvent(session: session, .decision(.init(
        source: .broker, decision: outcome, capability: "read-file:/home/u/file\(index)", operation: "open",
        path: "/home/u/file\(index)", pid: 100, executable: "/usr/bin/agent", reason: "rule \(index)",
        rule: "data.cordon.allow")))
}

func makeWriter(
    _ directory: AuditDirectory, mode: AuditMode = .bestEffort, maxFileBytes: Int = 64 << 20,
    maxAge: Int64 = 86_400, signer: AuditCheckpointSigner? = nil, checkpointInterval: Int = 1000,
    session: String = "s1", reportGap: @escaping @Sendable (String) -> Void = { _ in }
) throws -> AuditWriter {
    try AuditWriter(
        configuration: .init(directory: directory, mode: mode, maxFileBytes: maxFileBytes, maxFileAgeSeconds: maxAge,
                             sync: .never, signer: signer, checkpointInterval: checkpointInterval, session: session,
                             reportGap: reportGap),
        logger: testLogger)
}

/// Writes `count` decision records and closes the writer.
func writeRecords(_ directory: AuditDirectory, count: Int) throws {
    let writer = try makeWriter(directory)
    for index in 0..<count { try writer.append(decisionEvent(index)) }
    try writer.close()
}

/// The lines of a file, without newlines.
func lines(_ path: String) throws -> [String] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
}

/// Replaces a file's content with these lines.
func writeLines(_ lines: [String], to path: String) throws {
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
}

/// A thread-safe collection for values gathered on other threads.
final class Collected<Element: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Element] = []
    func append(_ element: Element) { lock.withLock { storage.append(element) } }
    func append(contentsOf elements: [Element]) { lock.withLock { storage += elements } }
    var values: [Element] { lock.withLock { storage } }
}

/// The AuditBench executable built beside the test bundle: the child writer process.
func benchExecutable() -> String? {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<3 {
        let candidate = directory.appendingPathComponent("AuditBench").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    return nil
}

/// Runs a child process and waits for it; returns its termination status.
func runChild(_ executable: String, _ arguments: [String]) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    try process.run()
    return process
}
