/// One rule of OPA's `data.system.log.mask` convention, applied to a decision-log event before
/// it leaves the machine:
///
/// - a string `"/input/password"` erases the field (OPA lists it under `erased`);
/// - `{"op": "remove", "path": "/input/password"}` does the same;
/// - `{"op": "upsert", "path": "/input/password", "value": "**REDACTED**"}` replaces or adds
///   the field when its parent exists (OPA lists it under `masked`).
///
/// Paths are JSON pointers rooted at `/input` or `/result` (`~1` is `/`, `~0` is `~`); a
/// segment that is a number indexes an array. The policy engine evaluates the mask policy; this
/// type takes its result as values.
public enum DecisionLogMask: Sendable, Equatable {
    /// Remove the field at the path.
    case erase(path: String)
    /// Set the field at the path to a value.
    case upsert(path: String, value: JSONValue)

    /// The path the rule applies to.
    public var path: String {
        switch self {
        case .erase(let path), .upsert(let path, _): path
        }
    }

    /// A rule from one element of the mask policy's result.
    public init(_ rule: JSONValue) throws {
        switch rule {
        case .string(let path):
            self = .erase(path: path)
        case .object(let members):
            guard case .string(let path)? = members["path"] else {
                throw Self.invalid(rule, "a mask object needs a string \"path\"")
            }
            switch members["op"] {
            case .string("remove")?:
                self = .erase(path: path)
            case .string("upsert")?:
                guard let value = members["value"] else { throw Self.invalid(rule, "an upsert needs a \"value\"") }
                self = .upsert(path: path, value: value)
            default:
                throw Self.invalid(rule, "\"op\" must be \"remove\" or \"upsert\"")
            }
        default:
            throw Self.invalid(rule, "a mask rule is a path string or an {\"op\", \"path\"} object")
        }
        guard let segments = Self.segments(of: path), let root = segments.first, root == "input" || root == "result"
        else {
            throw Self.invalid(rule, "the path must start with /input or /result")
        }
    }

    /// The rules of a mask policy's result: an array (or a set, as an array) of rules.
    public static func rules(_ result: JSONValue) throws -> [DecisionLogMask] {
        guard case .array(let elements) = result else {
            throw invalid(result, "the mask result must be an array or a set of rules")
        }
        return try elements.map(DecisionLogMask.init)
    }

    private static func invalid(_ rule: JSONValue, _ why: String) -> AuditError {
        AuditError(.invalidArgument, operation: "read mask rule", path: "data.system.log.mask",
                   detail: "\(why): \(rule)", remedy: "see OPA's decision log masking convention")
    }

    /// The pointer's unescaped segments, or nil when it does not start with `/`.
    static func segments(of path: String) -> [String]? {
        guard path.hasPrefix("/") else { return nil }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }
}

extension DecisionLogMask {
    /// Applies `rules` in order to the `input` and `result` members of `event`, and records
    /// what was changed under `erased` and `masked` as OPA does.
    static func apply(_ rules: [DecisionLogMask], to event: inout [String: JSONValue]) {
        var erased = [String]()
        var masked = [String]()
        for rule in rules {
            guard let segments = segments(of: rule.path), let root = segments.first, var document = event[root]
            else { continue }
            let changed: Bool
            switch rule {
            case .erase:
                changed = document.remove(at: segments.dropFirst())
            case .upsert(_, let value):
                changed = document.upsert(value, at: segments.dropFirst())
            }
            guard changed else { continue }
            event[root] = document
            if case .erase = rule { erased.append(rule.path) } else { masked.append(rule.path) }
        }
        if !erased.isEmpty { event["erased"] = .array(erased.map(JSONValue.string)) }
        if !masked.isEmpty { event["masked"] = .array(masked.map(JSONValue.string)) }
    }
}

extension JSONValue {
    /// Removes the member at `path`; false when there is none.
    fileprivate mutating func remove(at path: ArraySlice<String>) -> Bool {
        guard let key = path.first else { return false }
        let rest = path.dropFirst()
        switch self {
        case .object(var members):
            if rest.isEmpty {
                guard members.removeValue(forKey: key) != nil else { return false }
            } else {
                guard var child = members[key], child.remove(at: rest) else { return false }
                members[key] = child
            }
            self = .object(members)
            return true
        case .array(var elements):
            guard let index = Int(key), elements.indices.contains(index) else { return false }
            if rest.isEmpty {
                elements.remove(at: index)
            } else {
                guard elements[index].remove(at: rest) else { return false }
            }
            self = .array(elements)
            return true
        default:
            return false
        }
    }

    /// Sets the member at `path` to `value` when its parent exists; false otherwise. An empty
    /// path replaces the whole document.
    fileprivate mutating func upsert(_ value: JSONValue, at path: ArraySlice<String>) -> Bool {
        guard let key = path.first else {
            self = value
            return true
        }
        let rest = path.dropFirst()
        switch self {
        case .object(var members):
            if rest.isEmpty {
                members[key] = value
            } else {
                guard var child = members[key], child.upsert(value, at: rest) else { return false }
                members[key] = child
            }
            self = .object(members)
            return true
        case .array(var elements):
            guard let index = Int(key), elements.indices.contains(index) else { return false }
            guard elements[index].upsert(value, at: rest) else { return false }
            self = .array(elements)
            return true
        default:
            return false
        }
    }
}
