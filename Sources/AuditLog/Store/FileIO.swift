#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system calls the store makes, each retried on EINTR and turned into an `AuditError` in
/// one place.
enum FileIO {
    /// Opens `path`; the descriptor is close-on-exec so that no agent ever inherits the log.
    static func open(_ path: String, flags: Int32, mode: mode_t = 0o600, operation: String) throws -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno == EINTR { continue }
            throw AuditError.system(operation: operation, path: path, errno: errno,
                                    remedy: "check that the audit directory exists and belongs to you")
        }
    }

    /// Writes all of `bytes`, or throws with the errno of the write that failed.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String, operation: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw AuditError.system(.writeFailed, operation: operation, path: path, errno: errno,
                                        remedy: "free space on the file system or choose another --audit-dir")
            }
            if written == 0 {
                throw AuditError(.writeFailed, operation: operation, path: path,
                                 detail: "the file system accepted no bytes", remedy: "free space on the file system")
            }
            offset += written
        }
    }

    /// Reads `count` bytes at `offset` (fewer at end of file).
    static func read(_ fd: Int32, offset: Int, count: Int, path: String) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var total = 0
        while total < count {
            let got = buffer.withUnsafeMutableBytes { raw in
                pread(fd, raw.baseAddress! + total, count - total, off_t(offset + total))
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw AuditError.system(operation: "read", path: path, errno: errno,
                                        remedy: "check the file's permissions")
            }
            if got == 0 { break }
            total += got
        }
        buffer.removeLast(count - total)
        return buffer
    }

    /// The whole content of `path`.
    static func readFile(_ path: String) throws -> [UInt8] {
        let fd = try open(path, flags: O_RDONLY, operation: "read")
        defer { close(fd) }
        let size = try stat(fd: fd, path: path).st_size
        var content = try read(fd, offset: 0, count: Int(size), path: path)
        while true {
            let more = try read(fd, offset: content.count, count: 1 << 16, path: path)
            if more.isEmpty { return content }
            content += more
        }
    }

    /// `fstat`.
    static func stat(fd: Int32, path: String) throws -> Glibc.stat {
        var info = Glibc.stat()
        guard fstat(fd, &info) == 0 else {
            throw AuditError.system(operation: "stat", path: path, errno: errno, remedy: "check the file")
        }
        return info
    }

    /// `stat`, or nil when the path does not exist.
    static func stat(path: String) throws -> Glibc.stat? {
        var info = Glibc.stat()
        if fstatat(AT_FDCWD, path, &info, 0) == 0 { return info }
        if errno == ENOENT { return nil }
        throw AuditError.system(operation: "stat", path: path, errno: errno, remedy: "check the path")
    }

    /// Takes or waits for an exclusive `flock`.
    static func lock(_ fd: Int32, path: String) throws {
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            throw AuditError.system(operation: "lock", path: path, errno: errno,
                                    remedy: "the audit directory must be on a local file system")
        }
    }

    /// Releases a `flock`.
    static func unlock(_ fd: Int32) {
        _ = flock(fd, LOCK_UN)
    }

    /// Flushes a file or directory to stable storage.
    static func sync(_ fd: Int32, path: String) throws {
        guard fsync(fd) == 0 else {
            throw AuditError.system(.writeFailed, operation: "fsync", path: path, errno: errno,
                                    remedy: "check the file system")
        }
    }

    /// Writes `bytes` to `path` through a temporary file and a rename, so readers see the old or
    /// the new content, never a mix.
    static func replaceFile(_ path: String, with bytes: [UInt8]) throws {
        let temporary = path + ".tmp"
        let fd = try open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC, operation: "write")
        do {
            try writeAll(fd, bytes, path: temporary, operation: "write")
            close(fd)
        } catch {
            close(fd)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            throw AuditError.system(operation: "rename", path: path, errno: errno, remedy: "check the directory")
        }
    }
}

extension Array where Element == UInt8 {
    /// The index of the last newline, if any.
    var lastNewline: Int? { lastIndex(of: 10) }
}
