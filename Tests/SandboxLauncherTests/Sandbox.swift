#if canImport(Glibc)
import Glibc
#endif
import SandboxLauncher
import SandboxPolicy
import SystemPackage
import Testing

/// A test's own world: a 0755 temp directory with an `out` directory the sandbox may write
/// (bound at /out) and a `data` directory it may only read (bound at /data).
final class Scratch {
    let root: String
    var out: String { root + "/out" }
    var data: String { root + "/data" }

    init() throws {
        var template = Array("/tmp/cordon-launcher-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw Errno(rawValue: errno) }
        root = String(cString: made)
        chmod(root, 0o755)
        mkdir(out, 0o777)
        chmod(out, 0o777)
        mkdir(data, 0o755)
    }

    deinit {
        let words: [String] = ["/bin/rm", "-rf", root]
        var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        var pid: pid_t = 0
        if posix_spawn(&pid, "/bin/rm", nil, nil, &argv, environ) == 0 {
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        argv.forEach { free($0) }
    }

    /// Writes a file under the scratch root.
    func write(_ path: String, _ contents: String, mode: mode_t = 0o644) throws {
        let fd = try FileDescriptor.open(FilePath(root + "/" + path), .writeOnly, options: [.create, .truncate],
                                         permissions: FilePermissions(rawValue: mode))
        defer { try? fd.close() }
        _ = try fd.writeAll(Array(contents.utf8))
        fchmod(fd.rawValue, mode)
    }

    /// Reads a file under the scratch root, or nil if it is absent.
    func read(_ path: String) -> String? {
        guard let fd = try? FileDescriptor.open(FilePath(root + "/" + path), .readOnly) else { return nil }
        defer { try? fd.close() }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while let n = try? chunk.withUnsafeMutableBytes({ try fd.read(into: $0) }), n > 0 {
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Hand-built plans: the smallest view in which /bin/sh and coreutils run.
enum Plans {
    static let uid = getuid()
    static let gid = getgid()

    static func base(_ scratch: Scratch, script: String, layers: Layers = .all) -> LaunchPlan {
        shell(scratch, argv: ["sh", "-c", script], layers: layers)
    }

    static func shell(_ scratch: Scratch, argv: [String], layers: Layers = .all) -> LaunchPlan {
        LaunchPlan(
            argv: argv,
            environment: ["HOME=/out", "PATH=/usr/bin:/bin"],
            workingDirectory: "/out",
            hostname: "sandbox",
            namespaces: .all,
            idMapping: IDMapping(insideUID: uid, outsideUID: uid, insideGID: gid, outsideGID: gid),
            mounts: [
                .bind(source: "/usr", target: "/usr", writable: false, executable: true),
                .symlink(target: "/bin", destination: "usr/bin"),
                .symlink(target: "/lib", destination: "usr/lib"),
                .symlink(target: "/lib64", destination: "usr/lib64"),
                .bind(source: "/etc/ld.so.cache", target: "/etc/ld.so.cache", writable: false, executable: false),
                .bind(source: "/etc/passwd", target: "/etc/passwd", writable: false, executable: false),
                .bind(source: "/etc/group", target: "/etc/group", writable: false, executable: false),
                .directory(target: "/dev", mode: 0o755),
                .device(source: "/dev/null", target: "/dev/null"),
                .device(source: "/dev/zero", target: "/dev/zero"),
                .device(source: "/dev/urandom", target: "/dev/urandom"),
                .devpts(target: "/dev/pts"),
                .proc(target: "/proc"),
                .tmpfs(target: "/tmp", mode: 0o1777, sizeBytes: 1 << 20),
                .bind(source: scratch.out, target: "/out", writable: true, executable: false),
                .bind(source: scratch.data, target: "/data", writable: false, executable: false),
                .remountReadOnly(target: "/"),
            ],
            landlock: nil,
            seccomp: [],
            resourceLimits: [],
            cgroupLimits: CgroupLimits(memoryBytes: nil, maxProcesses: nil),
            terminal: .inheritedPipes,
            layers: layers)
    }

    /// Landlock mirroring the base view: read and execute under /usr, read /etc, devices,
    /// /proc read-only, /out writable; /data deliberately left out.
    static func landlock() -> LandlockPlan {
        let read: LandlockFilesystemAccess = [.readFile, .readDir]
        let write: LandlockFilesystemAccess = [.writeFile, .removeDir, .removeFile, .makeDir, .makeReg, .makeSym, .truncate]
        return LandlockPlan(
            minimumABI: 6,
            handledFilesystem: LandlockFilesystemAccess(rawValue: (1 << 16) - 1),
            handledNetwork: [.bindTCP, .connectTCP],
            scopes: [.abstractUnixSocket, .signal],
            pathRules: [
                LandlockPathRule(path: "/usr", access: read.union(.execute)),
                LandlockPathRule(path: "/etc", access: read),
                LandlockPathRule(path: "/proc", access: read),
                LandlockPathRule(path: "/dev", access: read.union([.writeFile, .ioctlDev])),
                LandlockPathRule(path: "/tmp", access: read.union(write)),
                LandlockPathRule(path: "/out", access: read.union(write)),
            ],
            portRules: [])
    }
}

/// Runs `plan` and returns how it ended.
func run(_ plan: LaunchPlan) throws -> SandboxExit {
    let process = try SandboxLauncher().launch(plan)
    return process.waitForExit()
}
