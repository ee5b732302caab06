import EgressProxy
import Foundation
import Logging
import NIOPosix
import SandboxPolicy
import Supervisor
import Testing

/// The control socket: who may use it, and what it does to a live session.
@Suite(.serialized) struct ControlSocketTests {
    /// A private runtime directory for one test.
    func runtimeDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cordon-ctl-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return dir
    }

    func session(_ id: String, allow: [String]) throws -> EgressSession {
        EgressSession(
            id: id, rules: EgressRules(allowed: try allow.map { try NetworkEndpointPattern(parsing: $0) }),
            resolver: NameMapResolver([:]), sink: JSONLinesRecordSink(handle: .nullDevice), logger: Logger(label: "control-test"))
    }

    /// A python client that sends one request line and prints the answer line.
    func pythonClient(_ path: String, _ request: String) -> String {
        """
        import socket
        s = socket.socket(socket.AF_UNIX)
        s.connect(\"\(path)\")
        s.sendall(b'\(request)\\n')
        print(s.makefile().readline().strip())
        """
    }

    func run(_ argv: [String], environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = argv
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    @Test func servesAPeerInTheSameUserNamespaceAndRefusesOneInAnother() throws {
        let runtime = try runtimeDirectory()
        let path = try ControlSocketPath.resolve(environment: ["XDG_RUNTIME_DIR": runtime], create: true)
        let sessions = ControlSessions()
        sessions.register(.init(id: "s1", command: ["agent"], egress: try session("s1", allow: ["api.example.com:443"])))
        let server = try ControlServer.start(path: path, sessions: sessions, logger: Logger(label: "control-test"))
        defer { server.stop() }
        let script = pythonClient(path, #"{"operation":"sessions"}"#)

        let same = try run(["python3", "-c", script])
        #expect(same.stdout.contains(#""ok":true"#), "\(same)")
        #expect(same.stdout.contains(#""id":"s1""#))

        let other = try run(["unshare", "-U", "--map-root-user", "python3", "-c", script])
        #expect(other.stdout.contains(#""ok":false"#), "\(other.stdout) \(other.stderr)")
        #expect(other.stdout.contains("another user namespace"))
        #expect(!other.stdout.contains(#""id":"s1""#))
    }

    @Test func netAllowAndDenyChangeALiveSession() throws {
        let runtime = try runtimeDirectory()
        let path = try ControlSocketPath.resolve(environment: ["XDG_RUNTIME_DIR": runtime], create: true)
        let egress = try session("s2", allow: ["api.example.com:443"])
        let sessions = ControlSessions()
        sessions.register(.init(id: "s2", command: ["agent"], egress: egress))
        let server = try ControlServer.start(path: path, sessions: sessions, logger: Logger(label: "control-test"))
        defer { server.stop() }

        let allowed = try ControlClient.send(.init(operation: .netAllow, session: "s2", endpoint: "*.github.com:443"), path: path)
        #expect(allowed.ok)
        #expect(allowed.allowed == ["api.example.com:443", "*.github.com:443"])
        #expect(egress.rules.match(host: "api.github.com", port: 443) != nil)

        let denied = try ControlClient.send(.init(operation: .netDeny, session: "s2", endpoint: "api.example.com:443"), path: path)
        #expect(denied.ok && denied.tunnelsCut == 0)
        #expect(egress.rules.match(host: "api.example.com", port: 443) == nil)

        let unknown = try ControlClient.send(.init(operation: .netList, session: "nope"), path: path)
        #expect(!unknown.ok && unknown.code == .request)
        let bad = try ControlClient.send(.init(operation: .netAllow, session: "s2", endpoint: "no-port"), path: path)
        #expect(!bad.ok && bad.error?.contains("HOST:PORT") == true)
    }

    @Test func aDirectoryOpenToOthersIsRefused() throws {
        let runtime = try runtimeDirectory()
        try FileManager.default.createDirectory(atPath: runtime + "/cordon", withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        #expect(throws: ControlSocketError.self) {
            try ControlSocketPath.resolve(environment: ["XDG_RUNTIME_DIR": runtime], create: true)
        }
        // Positive control: the same layout with mode 0700 is accepted.
        chmod(runtime + "/cordon", 0o700)
        #expect(try ControlSocketPath.resolve(environment: ["XDG_RUNTIME_DIR": runtime], create: true) == runtime + "/cordon/control.sock")
    }

    @Test func aSecondSupervisorAttachesAndTakesOverWhenTheFirstStops() throws {
        let runtime = try runtimeDirectory()
        let path = try ControlSocketPath.resolve(environment: ["XDG_RUNTIME_DIR": runtime], create: true)
        let firstSessions = ControlSessions()
        firstSessions.register(.init(id: "one", command: ["a"], egress: try session("one", allow: ["a.example:443"])))
        let secondEgress = try session("two", allow: ["b.example:443"])
        let secondSessions = ControlSessions()
        secondSessions.register(.init(id: "two", command: ["b"], egress: secondEgress))
        let first = try ControlServer.start(path: path, sessions: firstSessions, logger: Logger(label: "control-test"))
        let second = try ControlServer.start(path: path, sessions: secondSessions, logger: Logger(label: "control-test"))
        defer { second.stop() }
        #expect(first.isServing && !second.isServing)

        let listed = try ControlClient.send(.init(operation: .sessions), path: path)
        #expect(Set(listed.sessions?.map(\.id) ?? []) == ["one", "two"])
        let allowed = try ControlClient.send(.init(operation: .netAllow, session: "two", endpoint: "c.example:443"), path: path)
        #expect(allowed.ok, "\(allowed)")
        #expect(secondEgress.rules.match(host: "c.example", port: 443) != nil, "forwarded to the attached supervisor")

        first.stop()
        var after: ControlResponse?
        for _ in 0..<100 where after?.ok != true {
            after = try? ControlClient.send(.init(operation: .sessions), path: path)
            if after?.ok != true { usleep(50_000) }
        }
        #expect(after?.sessions?.map(\.id) == ["two"], "the attached supervisor took over")
        #expect(second.isServing)
    }

    /// A serving supervisor removes its socket before it lets go of the lock: one starting in
    /// that moment finds neither a socket to attach to nor a free lock, and must keep trying
    /// both rather than refuse its session.
    @Test func aSupervisorStartingWhileTheServerLeavesServesOnceTheLockIsFree() throws {
        let runtime = try runtimeDirectory()
        let path = try ControlSocketPath.resolve(environment: ["XDG_RUNTIME_DIR": runtime], create: true)
        let lockPath = (path as NSString).deletingLastPathComponent + "/control.lock"
        // The leaving server: its lock held, its socket already gone.
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        #expect(lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) == 0)
        #expect(access(path, F_OK) != 0)
        let started = DispatchSemaphore(value: 0)
        let outcome = ThreadResult()
        Thread {
            outcome.set(Result { try ControlServer.start(path: path, sessions: ControlSessions(), logger: Logger(label: "control-test")) })
            started.signal()
        }.start()
        // Long enough for the new supervisor to find the lock held at least once; the outcome
        // asserted does not depend on it.
        usleep(100_000)
        close(lock)
        started.wait()
        let server = try outcome.get().get()
        defer { server.stop() }
        #expect(server.isServing)
        #expect(try ControlClient.send(.init(operation: .sessions), path: path).ok)
    }
}

/// The `cordon` binary built beside the test bundle, when the whole package was built.
let cordonBinary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("cordon").path

/// `cordon sessions` and `cordon net` end to end against a running control socket.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: cordonBinary), "the cordon binary is not built"))
struct ControlCommandTests {
    @Test func sessionsAndNetCommands() throws {
        let t = ControlSocketTests()
        let runtime = try t.runtimeDirectory()
        let env = ["XDG_RUNTIME_DIR": runtime]
        let path = try ControlSocketPath.resolve(environment: env, create: true)
        let egress = try t.session("3f2a", allow: ["api.anthropic.com:443"])
        let sessions = ControlSessions()
        sessions.register(.init(id: "3f2a", command: ["claude"], egress: egress))
        let server = try ControlServer.start(path: path, sessions: sessions, logger: Logger(label: "control-test"))
        defer { server.stop() }

        let list = try t.run([cordonBinary, "sessions", "--format", "json"], environment: env)
        #expect(list.status == 0 && list.stdout.contains("\"id\" : \"3f2a\""), "\(list)")
        let allow = try t.run([cordonBinary, "net", "allow", "--session", "3f2a", "api.openai.com:443"], environment: env)
        #expect(allow.status == 0 && allow.stdout.contains("allow network:api.openai.com:443"), "\(allow)")
        #expect(egress.rules.match(host: "api.openai.com", port: 443) != nil)
        let deny = try t.run([cordonBinary, "net", "deny", "--session", "3f2a", "api.anthropic.com:443"], environment: env)
        #expect(deny.status == 0 && deny.stdout.contains("deny  network:api.anthropic.com:443"), "\(deny)")
        let missing = try t.run([cordonBinary, "net", "list", "--session", "nope"], environment: env)
        #expect(missing.status != 0 && missing.stderr.contains("no running session 'nope'"), "\(missing)")
        server.stop()
        let stopped = try t.run([cordonBinary, "sessions"], environment: env)
        #expect(stopped.status != 0 && stopped.stderr.contains("start a session"), "\(stopped)")
    }
}

/// A result handed from a thread to the test.
private final class ThreadResult: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<ControlServer, any Error>?
    func set(_ result: Result<ControlServer, any Error>) { lock.withLock { value = result } }
    func get() throws -> Result<ControlServer, any Error> {
        try lock.withLock { guard let value else { throw CocoaError(.coderValueNotFound) }; return value }
    }
}
