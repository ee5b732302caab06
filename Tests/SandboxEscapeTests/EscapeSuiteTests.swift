import Testing

/// The escape suite: every case runs outside the sandbox first (the positive control, which
/// must reach the host) and then inside `cordon run`, where it must not. A case whose control
/// cannot succeed is skipped with its reason and never counted as blocked; a sandbox that does
/// not start fails the suite.
@Suite("Sandbox escape probes")
struct EscapeSuiteTests {
    @Test("every layer on", arguments: TestUser.allCases)
    func everyLayerOn(user: TestUser) throws {
        let catalog = try ProbeCatalog.load()
        let fixture = try EscapeFixture(user: user)
        defer { fixture.close() }
        let runner = ProbeRunner(fixture: fixture, cordon: try? CordonBinary.path())
        let cases = catalog.cases.filter { user.matches($0.users) }
        var rows: [(name: String, cells: [Verdict])] = []
        for probeCase in cases {
            let control = runner.control(probeCase)
            let inside = control.isReached ? runner.inside(probeCase, layers: .all) : control
            rows.append((probeCase.name, [control, inside]))
        }
        print(SummaryTable(title: "\nEscape probes as \(user), every layer on", columns: ["control", "inside"], rows: rows).render())

        try #require(CordonBinary.exists, "the sandbox cannot be launched: \(CordonBinary.problem)")
        for row in rows {
            #expect(!row.cells[0].isBroken, "\(row.name): \(row.cells[0])")
            if row.cells[0].isReached {
                #expect(row.cells[1].held, "\(row.name) as \(user): \(row.cells[1])")
            }
        }
        let blocked = rows.filter { $0.cells[0].isReached && $0.cells[1].held }.count
        #expect(blocked >= 30, "only \(blocked) cases ran to a blocked verdict as \(user); at least 30 must")
    }

    @Test("each layer alone", arguments: TestUser.allCases)
    func eachLayerAlone(user: TestUser) throws {
        let catalog = try ProbeCatalog.load()
        let fixture = try EscapeFixture(user: user)
        defer { fixture.close() }
        let runner = ProbeRunner(fixture: fixture, cordon: try? CordonBinary.path())
        let cases = catalog.cases.filter { user.matches($0.users) }
        var rows: [(name: String, cells: [Verdict])] = []
        for probeCase in cases {
            let control = runner.control(probeCase)
            var cells = [control]
            for layer in LayerSelection.alone {
                cells.append(control.isReached ? runner.inside(probeCase, layers: layer) : control)
            }
            rows.append((probeCase.name, cells))
        }
        print(SummaryTable(title: "\nEscape probes as \(user), one layer at a time (what each blocks by itself)",
                           columns: ["control"] + LayerSelection.alone.map(\.rawValue), rows: rows).render())

        try #require(CordonBinary.exists, "the sandbox cannot be launched: \(CordonBinary.problem)")
        for (probeCase, row) in zip(cases, rows) where row.cells[0].isReached {
            for (i, layer) in LayerSelection.alone.enumerated() {
                let verdict = row.cells[i + 1]
                #expect(!verdict.isBroken, "\(probeCase.name), \(layer) alone, as \(user): \(verdict)")
                if probeCase.blockedAlone.contains(layer.rawValue) {
                    #expect(verdict.held, "\(probeCase.name) must be stopped by \(layer) alone, as \(user): \(verdict)")
                }
            }
        }
    }
}

extension Verdict {
    var isReached: Bool { if case .reached = self { return true } else { return false } }
    var isBroken: Bool { if case .broken = self { return true } else { return false } }
}

extension CordonBinary {
    static var exists: Bool { (try? path()) != nil }
    static var problem: String {
        do { _ = try path(); return "" } catch { return "\(error)" }
    }
}
