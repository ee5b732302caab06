import Foundation
import NIOConcurrencyHelpers

/// Writes each record as one line of JSON to a file (appending) or to a descriptor.
public final class JSONLinesRecordSink: EgressRecordSink {
    private let handle: FileHandle
    private let lock = NIOLock()
    private let encoder: JSONEncoder

    /// Appends to `path`, creating it with mode 0600.
    public init(path: String) throws(EgressProxyError) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw EgressProxyError(
                code: .sink, operation: "open decision log \(path)", reason: String(cString: strerror(errno)),
                remedy: "choose a writable path")
        }
        handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        encoder = Self.makeEncoder()
    }

    /// Writes to an open `handle` (not closed by the sink).
    public init(handle: FileHandle) {
        self.handle = handle
        encoder = Self.makeEncoder()
    }

    private static func makeEncoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    /// Encodes and writes one line; a write error is dropped rather than stalling the proxy.
    public func record(_ record: EgressRecord) {
        lock.withLock {
            guard var line = try? encoder.encode(record) else { return }
            line.append(UInt8(ascii: "\n"))
            try? handle.write(contentsOf: line)
        }
    }
}
