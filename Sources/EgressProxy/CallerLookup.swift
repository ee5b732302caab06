/// The process behind a client connection, as far as it could be found.
public struct Caller: Sendable, Equatable {
    /// The process id as the supervisor sees it.
    public var pid: Int32?
    /// The program's path.
    public var executable: String?
    /// Creates a caller.
    public init(pid: Int32?, executable: String?) {
        self.pid = pid
        self.executable = executable
    }
}

/// Finds the process that owns the client end of a TCP connection. Called on a thread pool
/// right after accept, while the client still holds its socket.
public protocol CallerLookup: Sendable {
    /// The caller whose socket is bound to `client` and connected to `server`, if found.
    func caller(client: SocketEndpoint, server: SocketEndpoint) -> Caller?
}

/// An IP endpoint as 4 or 16 network-order bytes and a port.
public struct SocketEndpoint: Sendable, Hashable {
    /// The address bytes.
    public var address: [UInt8]
    /// The port.
    public var port: UInt16
    /// Creates an endpoint.
    public init(address: [UInt8], port: UInt16) {
        self.address = address
        self.port = port
    }
}
