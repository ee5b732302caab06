extension AuditEvent {
    /// Who decided.
    public enum DecisionSource: String, Sendable, Codable {
        /// The broker: files, executables, sockets, clipboard, environment.
        case broker
        /// The egress proxy: network connections.
        case proxy
        /// The person, answering a consent prompt.
        case consent
        /// The supervisor itself, e.g. when a grant expires or is revoked.
        case supervisor
    }

    /// What was decided.
    public enum DecisionOutcome: String, Sendable, Codable, CaseIterable {
        /// Allowed by policy or by a standing grant.
        case allow
        /// Denied: by policy, by default, or because something failed.
        case deny
        /// Held for the person's consent.
        case ask
        /// The person approved a held request.
        case approve
        /// A grant ran out.
        case expire
        /// A grant was withdrawn.
        case revoke
    }

    /// One decision of the broker or the egress proxy, with the policy's reason, the rule that
    /// decided, and the facts of the request that are relevant to it.
    public struct Decision: Sendable, Equatable, Codable {
        /// Who decided.
        public var source: DecisionSource
        /// What was decided.
        public var decision: DecisionOutcome
        /// The capability asked for, e.g. `read-file:/etc/hosts`, `network:example.com:443`.
        public var capability: String?
        /// The operation, e.g. `open`, `connect`, `exec`.
        public var operation: String?
        /// The file system path concerned.
        public var path: String?
        /// The host concerned.
        public var host: String?
        /// The port concerned.
        public var port: Int?
        /// The requesting process.
        public var pid: Int32?
        /// The requesting process's executable.
        public var executable: String?
        /// Bytes transferred (proxy) or written (broker).
        public var bytes: Int64?
        /// How long the request or connection took, in milliseconds.
        public var durationMs: Int64?
        /// The policy's reason, in words a person reads.
        public var reason: String?
        /// The rule that decided, e.g. `data.cordon.broker.deny_secrets`.
        public var rule: String?
        /// A unique identifier of this decision (OPA's `decision_id`).
        public var decisionId: String?
        /// The policy query path, e.g. `cordon/broker/decision` (OPA's `path`).
        public var policyPath: String?
        /// The policy input document.
        public var input: JSONValue?
        /// The policy result document.
        public var result: JSONValue?
        /// The policy bundle's name and revision at the time of the decision.
        public var bundle: PolicyBundle?
        /// Policy evaluation time in nanoseconds.
        public var evalNs: Int64?
        /// The grant concerned (approve, expire, revoke, or an allow by a standing grant).
        public var grant: String?
        /// When the grant expires.
        public var expires: AuditTime?

        /// A decision record; only `source` and `decision` are required.
        public init(
            source: DecisionSource, decision: DecisionOutcome, capability: String? = nil,
            operation: String? = nil, path: String? = nil, host: String? = nil, port: Int? = nil,
            pid: Int32? = nil, executable: String? = nil, bytes: Int64? = nil, durationMs: Int64? = nil,
            reason: String? = nil, rule: String? = nil, decisionId: String? = nil, policyPath: String? = nil,
            input: JSONValue? = nil, result: JSONValue? = nil, bundle: PolicyBundle? = nil,
            evalNs: Int64? = nil, grant: String? = nil, expires: AuditTime? = nil
        ) {
            self.source = source
            self.decision = decision
            self.capability = capability
            self.operation = operation
            self.path = path
            self.host = host
            self.port = port
            self.pid = pid
            self.executable = executable
            self.bytes = bytes
            self.durationMs = durationMs
            self.reason = reason
            self.rule = rule
            self.decisionId = decisionId
            self.policyPath = policyPath
            self.input = input
            self.result = result
            self.bundle = bundle
            self.evalNs = evalNs
            self.grant = grant
            self.expires = expires
        }

        /// The part of `capability` before the first colon, e.g. `read-file`, `network`.
        public var capabilityKind: String? {
            guard let capability, let colon = capability.firstIndex(of: ":") else { return nil }
            return String(capability[..<colon])
        }

        private enum CodingKeys: String, CodingKey {
            case source, decision, capability, operation, path, host, port, pid, executable, bytes
            case reason, rule, input, result, bundle, grant, expires
            case durationMs = "duration_ms"
            case decisionId = "decision_id"
            case policyPath = "policy_path"
            case evalNs = "eval_ns"
        }
    }
}
