/// Why the proxy refused or could not complete a request, with what the client is told.
struct Denial: Error, Sendable {
    enum Code: String, Sendable {
        /// No granted capability covers the name and port.
        case noCapability = "no-capability"
        /// The name resolved only to addresses that need a literal grant.
        case addressRefused = "address-refused"
        /// The Host header of a plain HTTP request names another destination.
        case hostMismatch = "host-mismatch"
        /// The request could not be understood or is of a kind the proxy does not carry.
        case badRequest = "bad-request"
        /// A bound tripped.
        case limit
        /// The name did not resolve.
        case unresolvable
        /// Every vetted address refused or failed the connection.
        case unreachable
        /// The connection attempt took longer than allowed.
        case timeout
    }

    var code: Code
    /// A sentence for the client and the record.
    var reason: String
    /// The capability that would allow the request, in `network:HOST:PORT` form, when one would.
    var capabilityNeeded: String?

    /// Policy refusals are `deny` records; failures to reach an allowed destination are `error`.
    var outcome: EgressRecord.Outcome {
        switch code {
        case .unresolvable, .unreachable, .timeout: return .error
        default: return .deny
        }
    }

    /// The HTTP status a proxy client gets.
    var httpStatus: (code: Int, phrase: String) {
        switch code {
        case .noCapability, .addressRefused, .hostMismatch: return (403, "Forbidden")
        case .badRequest: return (400, "Bad Request")
        case .limit: return (503, "Service Unavailable")
        case .unresolvable, .unreachable: return (502, "Bad Gateway")
        case .timeout: return (504, "Gateway Timeout")
        }
    }

    /// The SOCKS5 reply code (RFC 1928 section 6).
    var socksReply: UInt8 {
        switch code {
        case .noCapability, .addressRefused, .hostMismatch: return 0x02  // not allowed by ruleset
        case .badRequest, .limit: return 0x01  // general failure
        case .unresolvable, .timeout: return 0x04  // host unreachable
        case .unreachable: return 0x05  // connection refused
        }
    }

    /// The `X-Cordon-Deny` header value: the capability that would allow it, else the code.
    var headerValue: String { capabilityNeeded ?? code.rawValue }
}
