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
            guard let node = try Yams.compose(yaml: text), case .object(let doc) = value(node),
                  case .array(let cases)? = doc[.string("cases")] else { continue }
            for (i, item) in cases.enumerated() {
                guard case .object(let c) = item else { continue }
                func text(_ k: String) -> String? {
                    if case .string(let s)? = c[.string(k)] { return s }
                    return nil
                }
                func flag(_ k: String) -> Bool { c[.string(k)] == .bool(true) }
                var modules: [String] = []
                if case .array(let ms)? = c[.string("modules")] {
                    modules = ms.compactMap { if case .string(let m) = $0 { return m } else { return nil } }
                }
                var wantResult: [Value]?
                if case .array(let w)? = c[.string("want_result")] { wantResult = w }
                out.append(ConformanceCase(
                    id: "\(rel)#\(i)",
                    category: String(rel.split(separator: "/")[0]),
                    note: text("note") ?? "",
                    query: text("query") ?? "",
                    modules: modules,
                    data: c[.string("data")],
                    input: c[.string("input")],
                    inputTerm: text("input_term"),
                    wantResult: wantResult,
                    wantError: c[.string("want_error")].map { v in if case .string(let s) = v { return s } else { return v.json() } },
                    wantErrorCode: text("want_error_code"),
                    strictError: flag("strict_error"),
                    sortBindings: flag("sort_bindings")))
            }
        }
        return out
    }

    /// Converts a YAML node into a Rego value. Integers beyond 64 bits stay exact (the
    /// suite has results such as `bits.lsh(9223372036854775807, 1)`).
    static func value(_ node: Node) -> Value {
        switch node {
        case .scalar(let s):
            guard s.style == .plain else { return .string(s.string) }
            switch Resolver.default.resolveTag(of: node) {
            case .null: return .null
            case .bool: return Bool.construct(from: s).map(Value.bool) ?? .string(s.string)
            case .int:
                if let i = Int.construct(from: s) { return .int(i) }
                if let v = try? DataDocument.json(s.string) { return v }
            case .float:
                if let d = Double.construct(from: s) { return .double(d) }
            default: break
            }
            return .string(s.string)
        case .sequence(let seq):
            return .array(seq.map(value))
        case .mapping(let m):
            var o: [Value: Value] = [:]
            for (k, v) in m { o[value(k)] = value(v) }
            return .object(o)
        }
    }
}
