import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A `cordon` process running in the background while a test talks to it from outside.
final class BackgroundCordon: @unchecked Sendable {
    private let process = Process()
    private let out = Pipe()
    private let err = Pipe()

    init(_ tree: TestTree, _ arguments: [String], environment extra: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: CordonProcess.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: tree.workspace)
        process.environment = tree.environment.merging(extra) { $1 }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Waits for the end and returns what it printed.
    func wait() -> CordonProcess.Result {
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CordonProcess.Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Ends it early (a test that failed half way).
    func kill() { if process.isRunning { process.terminate() } }
}

extension TestTree {
    /// Runs `cordon arguments` like `cordon(_:)` with `extra` added to the environment.
    func cordon(_ arguments: [String], environment extra: [String: String]) throws -> CordonProcess.Result {
        try CordonProcess.run(arguments, in: workspace, environment: environment.merging(extra) { $1 })
    }

    /// The contents of `name` in the workspace once the sandboxed program wrote it (it writes a
    /// temporary name and renames), or nil after `seconds`.
    func waitForFile(_ name: String, seconds: Double = 30) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: workspace + "/" + name, encoding: .utf8) { return text }
            usleep(20_000)
        }
        return nil
    }

    /// Creates `name` in the workspace: a go-ahead for the sandboxed program.
    func signal(_ name: String) {
        FileManager.default.createFile(atPath: workspace + "/" + name, contents: Data())
    }

    /// The running sessions as `cordon sessions --format json` lists them.
    func sessions() throws -> [[String: Any]] {
        let result = try cordon(["sessions", "--format", "json"])
        guard result.status == 0,
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        else { return [] }
        return object["sessions"] as? [[String: Any]] ?? []
    }

    /// The id of the running session whose command contains `marker`.
    func sessionID(commandContaining marker: String, seconds: Double = 30) throws -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            for session in try sessions() {
                if let command = session["command"] as? [String], command.contains(where: { $0.contains(marker) }) {
                    return session["id"] as? String
                }
            }
            usleep(50_000)
        }
        return nil
    }
}

/// A loopback TCP server on the host that echoes what it gets, on IPv4 or IPv6.
final class LoopbackEchoServer: @unchecked Sendable {
    let port: UInt16
    private let descriptor: Int32

    init(address: String = "127.0.0.1") throws {
        let v6 = address.contains(":")
        let fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var storage = sockaddr_storage()
        var length: socklen_t
        if v6 {
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
            var a = sockaddr_in6()
            a.sin6_family = sa_family_t(AF_INET6)
            inet_pton(AF_INET6, address, &a.sin6_addr)
            withUnsafeBytes(of: a) { raw in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: raw) } }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        } else {
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET)
            a.sin_addr.s_addr = inet_addr(address)
            withUnsafeBytes(of: a) { raw in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: raw) } }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        }
        let bound = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 64) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var full = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &full) } }
        port = withUnsafeBytes(of: storage) { raw in
            UInt16(bigEndian: raw.load(fromByteOffset: 2, as: UInt16.self))  // sin_port and sin6_port share the offset
        }
        descriptor = fd
        let listening = fd
        Thread.detachNewThread {
            while true {
                let client = accept(listening, nil, nil)
                if client < 0 { if errno == EINTR { continue } else { return } }
                Thread.detachNewThread {
                    var buffer = [UInt8](repeating: 0, count: 65536)
                    while true {
                        let count = read(client, &buffer, buffer.count)
                        if count <= 0 { break }
                        _ = buffer.withUnsafeBytes { write(client, $0.baseAddress, count) }
                    }
                    close(client)
                }
            }
        }
    }

    deinit { shutdown(descriptor, Int32(SHUT_RDWR)); close(descriptor) }
}

/// A UDP socket on the host that counts the datagrams it receives.
final class LoopbackUDPReceiver: @unchecked Sendable {
    let port: UInt16
    private let descriptor: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = UInt16(bigEndian: address.sin_port)
        descriptor = fd
    }

    /// The datagrams that arrived so far, without waiting.
    func drain() -> [String] {
        var received: [String] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count < 0 { return received }
            received.append(String(decoding: buffer[..<count], as: UTF8.self))
        }
    }

    deinit { close(descriptor) }
}

/// Runs a program on the host (a positive control) and returns its status and output.
func hostRun(_ argv: [String]) throws -> CordonProcess.Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = argv
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CordonProcess.Result(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
}
