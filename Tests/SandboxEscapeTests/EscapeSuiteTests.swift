import Testing

/// The escape suite: every case runs outside the sandbox first (the positive control, which
/// must reach the host) and then inside `cordon run`, where it must not. A case whose control
/// cannot succeed is skipped with its reason and never counted as blocked; a sandbox that does
/// not start fails the suite.
@Suite("Sandbox escape probes")
struct EscapeSuiteTests {
    @Test("every layer on", arguments: TestUser.allCases)
    func everyLayerOn(user: TestUser) throws {
        let (cases, rows) = try runSuite(as: user, layers: [.all])
        print(SummaryTable(title: "\nEscape probes as \(user), every layer on", columns: ["control", "inside"], rows: rows).render())

        var failures: [String] = []
        for (probeCase, row) in zip(cases, rows) {
            if row.cells[0].isBroken { failures.append("\(probeCase.name) control: \(row.cells[0].detail)") }
            if row.cells[0].isReached, !row.cells[1].held { failures.append("\(probeCase.name): \(row.cells[1])") }
        }
        let blocked = rows.filter { $0.cells[0].isReached && $0.cells[1].held }.count
        if !failures.isEmpty { Issue.record("\(failures.count) cases failed as \(user):\n\(failures.joined(separator: "\n"))") }
        #expect(blocked >= 30, "only \(blocked) cases ran to a blocked verdict as \(user); at least 30 must")
    }

    @Test("each layer alone", arguments: TestUser.allCases)
    func eachLayerAlone(user: TestUser) throws {
        let (cases, rows) = try runSuite(as: user, layers: LayerSelection.alone)
        print(SummaryTable(title: "\nEscape probes as \(user), one layer at a time (what each blocks by itself)",
                           columns: ["control"] + LayerSelection.alone.map(\.rawValue), rows: rows).render())

        var failures: [String] = []
        for (probeCase, row) in zip(cases, rows) {
            if row.cells[0].isBroken { failures.append("\(probeCase.name) control: \(row.cells[0].detail)") }
            guard row.cells[0].isReached else { continue }
            for (i, layer) in LayerSelection.alone.enumerated() {
                let verdict = row.cells[i + 1]
                if verdict.isBroken {
                    failures.append("\(probeCase.name), \(layer) alone: \(verdict)")
                } else if probeCase.blockedAlone.contains(layer.rawValue), !verdict.held {
                    let failure = "\(probeCase.name) must be stopped by \(layer) alone: \(verdict)"
                    if let gap = KnownLayerGaps.reason(case: probeCase.name, layer: layer.rawValue) {
                        withKnownIssue("\(gap)") { Issue.record("\(failure) [as \(user)]") }
                    } else {
                        failures.append(failure)
                    }
                }
            }
        }
        if !failures.isEmpty { Issue.record("\(failures.count) failures as \(user):\n\(failures.joined(separator: "\n"))") }
    }

    /// Runs every case for `user`: the control once, then inside the sandbox once per selection.
    private func runSuite(as user: TestUser, layers: [LayerSelection]) throws -> ([ProbeCase], [(name: String, cells: [Verdict])]) {
        let catalog = try ProbeCatalog.load()
        // Without a cordon binary the controls still run and every inside half fails loudly.
        let cordon = try? CordonBinary.path()
        let fixture = try EscapeFixture(user: user)
        defer { fixture.close() }
        let runner = ProbeRunner(fixture: fixture, cordon: cordon)
        let cases = catalog.cases.filter { user.matches($0.users) }
        var rows: [(name: String, cells: [Verdict])] = []
        for probeCase in cases {
            let control = runner.control(probeCase)
            let inside = layers.map { control.isReached ? runner.inside(probeCase, layers: $0) : control }
            rows.append((probeCase.name, [control] + inside))
        }
        return (cases, rows)
    }
}

extension Verdict {
    var isReached: Bool { if case .reached = self { return true } else { return false } }
    var isBroken: Bool { if case .broken = self { return true } else { return false } }
}
