import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `cordon` binary with its own HOME and XDG directories, as a person would.
struct CordonProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: String {
        let sibling = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("cordon").path
        if FileManager.default.isExecutableFile(atPath: sibling) { return sibling }
        var root = URL(fileURLWithPath: #filePath)
        while root.path != "/" && !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root.deleteLastPathComponent()
        }
        return root.appendingPathComponent(".build/debug/cordon").path
    }

    /// Runs `cordon arguments` in `directory` with `environment`, stdin from /dev/null.
    static func run(_ arguments: [String], in directory: String, environment: [String: String], input: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment
        let out = Pipe(), err = Pipe(), inp = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inp
        try process.run()
        if let input { inp.fileHandleForWriting.write(Data(input.utf8)) }
        try inp.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a chatty program cannot block on a full pipe.
        // Written by the reading thread before `group.leave()`, read only after `group.wait()`.
        nonisolated(unsafe) var outData = Data()
        var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return Result(status: status, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A temp tree for one test: HOME, XDG directories and a workspace, all 0755 and removed after.
final class TestTree {
    let root: String
    var home: String { root + "/home" }
    var workspace: String { root + "/home/project" }

    init() throws {
        var template = Array("/tmp/cordon-cli-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.EIO) }
        root = String(cString: made)
        chmod(root, 0o755)
        for directory in [workspace, home + "/.config", home + "/.local/state", root + "/run"] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
    }

    var environment: [String: String] {
        ["HOME": home, "XDG_CONFIG_HOME": home + "/.config", "XDG_STATE_HOME": home + "/.local/state", "XDG_RUNTIME_DIR": root + "/run",
         "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "SECRET_TOKEN": "hunter2"]
    }

    func write(_ relative: String, _ contents: String) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try contents.write(toFile: path, atomically: false, encoding: .utf8)
    }

    func cordon(_ arguments: [String], input: String? = nil) throws -> CordonProcess.Result {
        try CordonProcess.run(arguments, in: workspace, environment: environment, input: input)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}
