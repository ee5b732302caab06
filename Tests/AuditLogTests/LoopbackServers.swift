import CZlib
import Foundation

@testable import AuditLog

/// A listening loopback socket of `type` on `port` (0 for any); returns the descriptor and port.
func loopbackListener(type: Int32, port: Int = 0) throws -> (Int32, Int) {
    let fd = socket(AF_INET, type, 0)
    var one: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound, type == Int32(SOCK_DGRAM.rawValue) || listen(fd, 16) == 0 else {
        let error = errno
        close(fd)
        throw AuditError.system(operation: "listen", path: "127.0.0.1:\(port)", errno: error, remedy: "test setup")
    }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
}

/// A port on 127.0.0.1 where nothing listens (bound once, then released).
func unusedLoopbackPort() throws -> Int {
    let (fd, port) = try loopbackListener(type: Int32(SOCK_STREAM.rawValue))
    close(fd)
    return port
}

/// Decompresses a gzip member with the system zlib.
func gunzip(_ bytes: [UInt8]) -> [UInt8]? {
    var stream = z_stream()
    guard inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
    defer { inflateEnd(&stream) }
    var input = bytes
    var output = [UInt8]()
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    var status: Int32 = Z_OK
    input.withUnsafeMutableBufferPointer { inputBuffer in
        stream.next_in = inputBuffer.baseAddress
        stream.avail_in = uInt(inputBuffer.count)
        while status == Z_OK {
            chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                stream.next_out = chunkBuffer.baseAddress
                stream.avail_out = uInt(chunkBuffer.count)
                status = inflate(&stream, Z_NO_FLUSH)
                output += chunkBuffer[0..<(chunkBuffer.count - Int(stream.avail_out))]
            }
        }
    }
    return status == Z_STREAM_END ? output : nil
}

/// A tiny HTTP/1.1 server on 127.0.0.1: it reads one request per connection, keeps the
/// (gunzipped) body, and answers 503 to the first `failFirst` requests and 200 after that.
final class TestHTTPServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var bodies: [[UInt8]] = []
    private var remainingFailures: Int
    private var requestHeads: [String] = []
    private let done = DispatchSemaphore(value: 0)

    init(port: Int = 0, failFirst: Int = 0) throws {
        (listener, self.port) = try loopbackListener(type: Int32(SOCK_STREAM.rawValue), port: port)
        remainingFailures = failFirst
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    var receivedBodies: [[UInt8]] { lock.withLock { bodies } }
    var heads: [String] { lock.withLock { requestHeads } }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        done.wait()
        close(listener)
    }

    private func serve() {
        defer { done.signal() }
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 { return }
            handle(connection)
            close(connection)
        }
    }

    private func handle(_ connection: Int32) {
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        var contentLength = 0
        while true {
            if headEnd == nil, let range = received.firstRange(of: separator) {
                headEnd = range.upperBound
                let head = String(decoding: received[..<range.lowerBound], as: UTF8.self)
                lock.withLock { requestHeads.append(head) }
                for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
                    contentLength = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
            if let headEnd, received.count - headEnd >= contentLength { break }
            let got = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if got <= 0 { return }
            received += buffer[..<got]
        }
        let body = Array(received[headEnd!...])
        let fail = lock.withLock { () -> Bool in
            if remainingFailures > 0 {
                remainingFailures -= 1
                return true
            }
            bodies.append(gunzip(body) ?? body)
            return false
        }
        let response = fail ? "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"
            : "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
        _ = Array(response.utf8).withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}
