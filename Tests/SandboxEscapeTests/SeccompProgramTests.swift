import SandboxPolicy
import Testing

extension SeccompInterpreter {
    /// Cordon's own assembled allow-list, the first program every sandbox gets.
    static func cordon() throws -> SeccompInterpreter {
        SeccompInterpreter(program: try CordonSeccompPolicy.filter.compile().instructions)
    }

    /// One line per expectation of `probeCase`: what the program answers and whether that holds.
    func verdicts(for probeCase: ProbeCase) -> [(text: String, holds: Bool)] {
        (probeCase.seccomp ?? []).map { expectation in
            do {
                let (action, holds) = try check(expectation)
                return ("\(expectation.syscall) → \(action)", holds)
            } catch {
                return ("\(expectation.syscall): \(error)", false)
            }
        }
    }
}

/// Where a positive control cannot run (x32 compiled out, root-only calls in the unprivileged
/// pass), the assembled seccomp program is asked directly what it would do with the syscall.
/// The same questions are asked for every case that names one, and a few calls that must stay
/// allowed keep a program that refuses everything from passing.
@Suite("Cordon's seccomp program, interpreted")
struct SeccompProgramTests {
    @Test("every syscall the probes use is denied, and ordinary ones are allowed")
    func programDecisions() throws {
        let catalog = try ProbeCatalog.load()
        let program = try SeccompInterpreter.cordon()
        var lines: [String] = ["\nSeccomp program decisions (\(program.program.count) instructions)"]
        for probeCase in catalog.cases {
            for verdict in program.verdicts(for: probeCase) {
                lines.append("  \(verdict.holds ? "ok  " : "FAIL") \(probeCase.name): \(verdict.text)")
                #expect(verdict.holds, "\(probeCase.name): \(verdict.text)")
            }
        }
        for expectation in catalog.seccompSanity {
            let (action, holds) = try program.check(expectation)
            lines.append("  \(holds ? "ok  " : "FAIL") must allow \(expectation.syscall): \(action)")
            #expect(holds, "\(expectation.syscall) must be allowed, got \(action)")
        }
        print(lines.joined(separator: "\n"))
    }
}
