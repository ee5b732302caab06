import SystemPackage

/// Whole-file reads and writes for the small kernel files (`/proc`, cgroupfs) the launcher uses,
/// without Foundation so the launch path stays lean.
enum SmallFiles {
    /// Reads up to 64 KiB of `path`.
    static func read(_ path: String) throws(LinuxSystemError) -> String {
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
        } catch {
            throw LinuxSystemError(operation: "open", path: path, errno: error as? Errno ?? .ioError)
        }
        defer { try? fd.close() }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 65536 {
            let n: Int
            do {
                n = try chunk.withUnsafeMutableBytes { try fd.read(into: $0, retryOnInterrupt: true) }
            } catch {
                throw LinuxSystemError(operation: "read", path: path, errno: error as? Errno ?? .ioError)
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `text` to an existing file (a cgroup control file) in one `write`.
    static func write(_ text: String, to path: String) throws(LinuxSystemError) {
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(FilePath(path), .writeOnly, options: [.closeOnExec])
        } catch {
            throw LinuxSystemError(operation: "open", path: path, errno: error as? Errno ?? .ioError)
        }
        defer { try? fd.close() }
        do {
            _ = try fd.writeAll(Array(text.utf8))
        } catch {
            throw LinuxSystemError(operation: "write", path: path, errno: error as? Errno ?? .ioError)
        }
    }
}
