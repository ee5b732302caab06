/// Turns records into OCSF 1.1 events for SIEMs: file decisions as File System Activity (1001),
/// network decisions as Network Activity (4001), and sessions, executions, failures and
/// everything else as Process Activity (1007).
public struct OCSFEncoder: Sendable {
    /// The product version stated in `metadata.product.version`.
    public var productVersion: String

    /// An encoder stating `productVersion`.
    public init(productVersion: String = "0.1.0") { self.productVersion = productVersion }

    /// An OCSF class: its uid, name and category.
    struct EventClass {
        var uid: Int64
        var name: String
        var categoryUID: Int64
        var categoryName: String

        static let fileSystem = EventClass(uid: 1001, name: "File System Activity", categoryUID: 1,
                                           categoryName: "System Activity")
        static let process = EventClass(uid: 1007, name: "Process Activity", categoryUID: 1,
                                        categoryName: "System Activity")
        static let network = EventClass(uid: 4001, name: "Network Activity", categoryUID: 4,
                                        categoryName: "Network Activity")
    }

    /// The OCSF event for `record`.
    public func event(for record: AuditRecord) -> JSONValue {
        let event = record.event
        var fields: [String: JSONValue] = [:]
        let eventClass: EventClass
        let activity: (Int64, String)
        var severity: Int64 = 1
        var failed = false
        var message: String
        switch event.body {
        case .sessionStart(let start):
            eventClass = .process
            activity = (1, "Launch")
            message = "session started: \(start.command.joined(separator: " "))"
            fields["process"] = .compactObject([
                ("pid", .int(start.pid)), ("cmd_line", .string(start.command.joined(separator: " "))),
                ("file", start.executable.map(Self.file)), ("user", start.user.map { .object(["name": .string($0)]) }),
            ])
            fields["unmapped"] = .object(["cordon": .compactObject([
                ("capabilities", .array(start.capabilities.map(JSONValue.string))),
                ("enforcement", .array(start.enforcement.map {
                    .object(["layer": .string($0.layer), "status": .string($0.status), "detail": .string($0.detail)])
                })),
                ("policy", start.policy.map { .compactObject([
                    ("name", .string($0.name)), ("revision", .string($0.revision)), ("hash", .string($0.hash)),
                ]) }),
            ])])
        case .sessionStop(let stop):
            eventClass = .process
            activity = (2, "Terminate")
            message = "session stopped" + (stop.reason.map { ": \($0)" } ?? "")
            fields["exit_code"] = .int(stop.exitCode)
            fields["duration"] = .int(stop.durationMs)
        case .decision(let decision):
            (eventClass, activity) = Self.classify(decision)
            message = "\(decision.decision.rawValue) \(decision.capability ?? decision.operation ?? "request")"
                + (decision.reason.map { ": \($0)" } ?? "")
            severity = decision.decision == .deny ? 3 : 1
            failed = decision.decision == .deny
            fields.merge(Self.decisionFields(decision, eventClass: eventClass)) { _, new in new }
        case .layerFailure(let failure):
            eventClass = .process
            activity = (99, "Other")
            severity = failure.fatal ? 5 : 4
            failed = true
            message = "layer \(failure.layer) failed: \(failure.detail)"
        case .supervisorError(let error):
            eventClass = .process
            activity = (99, "Other")
            severity = 4
            failed = true
            message = "\(error.operation): \(error.message)"
        case .auditGap(let gap):
            eventClass = .process
            activity = (99, "Other")
            severity = 4
            failed = true
            message = "audit gap: \(gap.lostRecords) record(s) lost" + (gap.error.map { ": \($0)" } ?? "")
        case .logRotated(let rotated):
            eventClass = .process
            activity = (99, "Other")
            message = "audit log rotated after seq \(rotated.previousLastSeq) to \(rotated.previousFile)"
        }
        fields["class_uid"] = .int(eventClass.uid)
        fields["class_name"] = .string(eventClass.name)
        fields["category_uid"] = .int(eventClass.categoryUID)
        fields["category_name"] = .string(eventClass.categoryName)
        fields["activity_id"] = .int(activity.0)
        fields["activity_name"] = .string(activity.1)
        fields["type_uid"] = .int(eventClass.uid * 100 + activity.0)
        fields["type_name"] = .string("\(eventClass.name): \(activity.1)")
        fields["time"] = .int(event.time.milliseconds)
        fields["severity_id"] = .int(severity)
        fields["severity"] = .string(Self.severityNames[Int(severity)])
        fields["status_id"] = .int(failed ? 2 : 1)
        fields["status"] = .string(failed ? "Failure" : "Success")
        fields["message"] = .string(message)
        fields["metadata"] = .object([
            "version": .string("1.1.0"),
            "product": .object(["name": .string("Cordon"), "vendor_name": .string("Cordon"),
                                "version": .string(productVersion)]),
            "log_name": .string("cordon-audit"),
            "sequence": .int(Int64(record.seq)),
            "uid": .string(record.event.decision?.decisionId ?? "\(event.session)/\(record.seq)"),
            "correlation_uid": .string(event.session),
        ])
        var actor: [String: JSONValue] = ["session": .object(["uid": .string(event.session)])]
        if let decision = event.decision, decision.pid != nil || decision.executable != nil {
            actor["process"] = .compactObject([("pid", .int(decision.pid)), ("file", decision.executable.map(Self.file))])
        }
        fields["actor"] = .object(actor)
        return .object(fields)
    }

    private static let severityNames = ["Unknown", "Informational", "Low", "Medium", "High", "Critical", "Fatal"]

    /// The class and activity a decision maps to.
    static func classify(_ decision: AuditEvent.Decision) -> (EventClass, (Int64, String)) {
        let kind = decision.capabilityKind
        let fileKinds = ["read-file", "read-dir", "write-file", "write-dir"]
        let isNetwork = kind == "network" || (kind == nil && (decision.host != nil || decision.source == .proxy))
        let isFile = kind.map(fileKinds.contains) ?? (decision.path != nil && !isNetwork)
        if isNetwork {
            if decision.decision == .deny { return (.network, (5, "Refuse")) }
            if decision.operation == "close" { return (.network, (2, "Close")) }
            return (.network, (1, "Open"))
        }
        if kind == "exec" { return (.process, (1, "Launch")) }
        if isFile {
            switch decision.operation {
            case "create": return (.fileSystem, (1, "Create"))
            case "read": return (.fileSystem, (2, "Read"))
            case "write": return (.fileSystem, (3, "Update"))
            case "delete": return (.fileSystem, (4, "Delete"))
            case "rename": return (.fileSystem, (5, "Rename"))
            case "open": return (.fileSystem, (14, "Open"))
            default: break
            }
            return kind?.hasPrefix("write") == true ? (.fileSystem, (3, "Update")) : (.fileSystem, (2, "Read"))
        }
        return (.process, (99, "Other"))
    }

    /// The class-specific and decision fields of a decision event.
    static func decisionFields(_ decision: AuditEvent.Decision, eventClass: EventClass) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        let allowed = [.allow, .approve].contains(decision.decision)
        let denied = decision.decision == .deny
        fields["action_id"] = .int(allowed ? 1 : denied ? 2 : 99)
        fields["action"] = .string(allowed ? "Allowed" : denied ? "Denied" : "Other")
        fields["disposition_id"] = .int(allowed ? 1 : denied ? 2 : 99)
        fields["disposition"] = .string(allowed ? "Allowed" : denied ? "Blocked" : "Other")
        if decision.rule != nil || decision.reason != nil {
            fields["policy"] = .compactObject([("name", .string(decision.rule)), ("desc", .string(decision.reason))])
        }
        switch eventClass.uid {
        case EventClass.network.uid:
            if decision.host != nil || decision.port != nil {
                fields["dst_endpoint"] = .compactObject([("hostname", .string(decision.host)), ("port", .int(decision.port))])
            }
            if let bytes = decision.bytes { fields["traffic"] = .object(["bytes": .int(bytes)]) }
        case EventClass.fileSystem.uid:
            if let path = decision.path { fields["file"] = file(path) }
        default:
            if let path = decision.path ?? decision.executable { fields["process"] = .object(["file": file(path)]) }
        }
        fields["duration"] = .int(decision.durationMs)
        fields["unmapped"] = .object(["cordon": .compactObject([
            ("source", .string(decision.source.rawValue)), ("decision", .string(decision.decision.rawValue)),
            ("capability", .string(decision.capability)), ("grant", .string(decision.grant)),
        ])])
        return fields
    }

    /// An OCSF file object for a path.
    static func file(_ path: String) -> JSONValue {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return .object(["path": .string(path), "name": .string(name)])
    }
}
