import Foundation
import Testing

/// Runs OPA's conformance cases and holds the ratchet: every case listed in `ratchet.txt` must pass.
/// `CORDON_UPDATE_RATCHET=1` rewrites the list with the currently passing cases.
@Test func conformanceSuite() throws {
    let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    let root = here.deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/opa-conformance/v1")
    let cases = try ConformanceCase.load(root: root)
    #expect(cases.count > 2000, "conformance cases not found under \(root.path)")
    let env = ProcessInfo.processInfo.environment
    let filter = env["CORDON_CONFORMANCE_FILTER"]
    var passed: [String] = []
    var failures: [(String, String)] = []
    var perCategory: [String: (Int, Int)] = [:]
    for c in cases {
        if let f = filter, !c.id.contains(f) { continue }
        let outcome = ConformanceRunner.run(c)
        var tally = perCategory[c.category] ?? (0, 0)
        tally.1 += 1
        switch outcome {
        case .pass:
            passed.append(c.id)
            tally.0 += 1
        case .fail(let why):
            failures.append((c.id, "\(c.note): \(why)"))
        }
        perCategory[c.category] = tally
    }
    for (cat, t) in perCategory.sorted(by: { $0.key < $1.key }) where t.0 != t.1 {
        print("  \(cat): \(t.0)/\(t.1)")
    }
    print("\(passed.count) passed, \(failures.count) failed")
    if let path = env["CORDON_CONFORMANCE_REPORT"] {
        let text = failures.map { "\($0.0)\t\($0.1.replacingOccurrences(of: "\n", with: " "))" }.joined(separator: "\n")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
    let ratchetURL = here.appendingPathComponent("ratchet.txt")
    let ratchet = Set(((try? String(contentsOf: ratchetURL, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init))
    if env["CORDON_UPDATE_RATCHET"] == "1" && filter == nil {
        let grown = ratchet.union(passed).sorted()
        try (grown.joined(separator: "\n") + "\n").write(to: ratchetURL, atomically: true, encoding: .utf8)
    }
    let failed = Dictionary(failures, uniquingKeysWith: { a, _ in a })
    for id in ratchet.sorted() where failed[id] != nil {
        Issue.record("ratchet case fails: \(id): \(failed[id]!)")
    }
}
