import Foundation
import Rego
import Yams

/// One case of OPA's YAML conformance suite.
struct ConformanceCase {
    /// `<category>/<file>#<index>`: unique even where a file repeats a note.
    let id: String
    let category: String
    let note: String
    let query: String
    let modules: [String]
    let data: Value?
    let input: Value?
    let inputTerm: String?
    let wantResult: [Value]?
    let wantError: String?
    let wantErrorCode: String?
    let strictError: Bool
    let sortBindings: Bool

    /// Every case under `root`, in file order.
    static func load(root: URL) throws -> [ConformanceCase] {
        let fm = FileManager.default
        guard let walker = fm.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var files: [String] = []
        for case let url as URL in walker where ["yaml", "yml"].contains(url.pathExtension) {
            files.append(String(url.path.dropFirst(root.path.count + 1)))
        }
        var out: [ConformanceCase] = []
        for rel in files.sorted() {
            let text = try String(contentsOf: root.appendingPathComponent(rel), encoding: .utf8)
            guard let doc = try Yams.load(yaml: text) as? [String: Any], let cases = doc["cases"] as? [[String: Any]] else { continue }
            for (i, c) in cases.enumerated() {
                out.append(ConformanceCase(
                    id: "\(rel)#\(i)",
                    category: String(rel.split(separator: "/")[0]),
                    note: c["note"] as? String ?? "",
                    query: c["query"] as? String ?? "",
                    modules: c["modules"] as? [String] ?? [],
                    data: c["data"].map(value),
                    input: c.keys.contains("input") ? value(c["input"] as Any) : nil,
                    inputTerm: c["input_term"] as? String,
                    wantResult: (c["want_result"] as? [Any])?.map(value),
                    wantError: c["want_error"].map { "\($0)" },
                    wantErrorCode: c["want_error_code"] as? String,
                    strictError: c["strict_error"] as? Bool ?? false,
                    sortBindings: c["sort_bindings"] as? Bool ?? false))
            }
        }
        return out
    }

    /// Converts what the YAML reader returns into a Rego value.
    static func value(_ any: Any) -> Value {
        switch any {
        case is NSNull: return .null
        case let b as Bool: return .bool(b)
        case let i as Int: return .int(i)
        case let d as Double: return .double(d)
        case let s as String: return .string(s)
        case let a as [Any]: return .array(a.map(value))
        case let o as [String: Any]:
            var d: [Value: Value] = [:]
            for (k, v) in o { d[.string(k)] = value(v) }
            return .object(d)
        case let o as [AnyHashable: Any]:
            var d: [Value: Value] = [:]
            for (k, v) in o { d[value(k.base)] = value(v) }
            return .object(d)
        default: return .null
        }
    }
}
