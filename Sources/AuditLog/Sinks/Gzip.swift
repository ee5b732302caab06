import CZlib

/// gzip through the system zlib: OPA decision-log services expect `Content-Encoding: gzip`.
enum Gzip {
    /// The gzip member (RFC 1952) holding `bytes`.
    static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 16 asks zlib for a gzip header and trailer instead of zlib's.
        let status = deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw failure("deflateInit2 returned \(status)") }
        defer { deflateEnd(&stream) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 32)
        let result = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                stream.next_in = inputBuffer.baseAddress
                stream.avail_in = uInt(inputBuffer.count)
                stream.next_out = outputBuffer.baseAddress
                stream.avail_out = uInt(outputBuffer.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard result == Z_STREAM_END else { throw failure("deflate returned \(result)") }
        output.removeLast(output.count - Int(stream.total_out))
        return output
    }

    private static func failure(_ detail: String) -> AuditError {
        AuditError(.sinkFailed, operation: "gzip", path: "zlib", detail: detail, remedy: "report this as a bug")
    }
}
