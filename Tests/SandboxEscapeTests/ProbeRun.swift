#if canImport(Glibc)
import Glibc
#endif

/// What one half of a case came to.
enum Verdict: CustomStringConvertible {
    /// The technique failed.
    case blocked(String)
    /// The technique "worked" on a private copy: the host file or terminal never saw it.
    case contained(String)
    /// The technique reached the host.
    case escaped(String)
    /// The control cannot succeed for this user or kernel; never counted as blocked.
    case skipped(String)
    /// The probe did not run or the control failed for no declared reason: the test is wrong or
    /// the sandbox did not start.
    case broken(String)
    /// The control reached the host, as it must.
    case reached(String)

    var label: String {
        switch self {
        case .blocked: return "blocked"
        case .contained: return "contained"
        case .escaped: return "ESCAPED"
        case .skipped: return "skipped"
        case .broken: return "BROKEN"
        case .reached: return "succeeded"
        }
    }

    var detail: String {
        switch self {
        case .blocked(let d), .contained(let d), .escaped(let d), .skipped(let d), .broken(let d), .reached(let d): return d
        }
    }

    var description: String { "\(label): \(detail)" }

    /// Blocked or contained: the host did not see it.
    var held: Bool {
        switch self {
        case .blocked, .contained: return true
        default: return false
        }
    }
}

/// Runs the two halves of a case for one fixture.
struct ProbeRunner {
    let fixture: EscapeFixture
    let cordon: String?

    /// Outside the sandbox: must reach the host, or fail only for a declared reason.
    func control(_ probeCase: ProbeCase) -> Verdict {
        do {
            let (report, result, terminalInput) = try run(probeCase, sandboxed: nil)
            guard let report else {
                return .broken("control printed no report (exit \(result.exitCode)): \(result.stderr.prefix(300))")
            }
            switch report.outcome {
            case "succeeded":
                if let path = probeCase.hostEffect, !(try fixture.hostFileHoldsMarker(path)) {
                    return .broken("control reported success but \(path) lacks the marker: the check is wrong")
                }
                if probeCase.terminal == true, !(terminalInput ?? "").contains(fixture.marker) {
                    return .broken("control reported success but the terminal input lacks the marker: the check is wrong")
                }
                return .reached(report.detail)
            case "blocked":
                if let reason = probeCase.allowedControlFailure(for: fixture.user, errno: report.errno) {
                    return .skipped("\(reason); \(staticCheck(probeCase))")
                }
                return .broken("control failed for no declared reason: \(report.detail)")
            default:
                return .broken("control: \(report.detail)")
            }
        } catch {
            return .broken("control: \(error)")
        }
    }

    /// Inside `cordon run` with `layers`: must be blocked or contained.
    func inside(_ probeCase: ProbeCase, layers: LayerSelection) -> Verdict {
        guard let cordon else { return .broken("no cordon binary: the sandbox cannot be launched") }
        do {
            let (report, result, terminalInput) = try run(probeCase, sandboxed: (cordon, layers))
            guard let report else {
                if result.exitCode == 128 + SIGSYS { return .blocked("killed by SIGSYS") }
                return .broken("the sandbox did not run the probe (exit \(result.exitCode)): \(result.stderr.prefix(400))")
            }
            switch report.outcome {
            case "blocked":
                return .blocked(report.detail)
            case "succeeded":
                if let path = probeCase.hostEffect, !(try fixture.hostFileHoldsMarker(path)) {
                    return .contained("\(report.detail), but \(path) on the host is unchanged")
                }
                if probeCase.terminal == true, !(terminalInput ?? "").contains(fixture.marker) {
                    return .contained("\(report.detail), but the test's terminal received nothing")
                }
                return .escaped(report.detail)
            default:
                return .broken("inside: \(report.detail)")
            }
        } catch {
            return .broken("inside: \(error)")
        }
    }

    /// What the assembled seccomp program says about a case whose control could not run.
    private func staticCheck(_ probeCase: ProbeCase) -> String {
        guard let program = try? SeccompInterpreter.cordon() else { return "seccomp program unavailable" }
        let verdicts = program.verdicts(for: probeCase)
        guard !verdicts.isEmpty else { return "no seccomp check applies" }
        return "seccomp program: " + verdicts.map { "\($0.text)\($0.holds ? "" : " (NOT denied)")" }.joined(separator: ", ")
    }

    private func run(_ probeCase: ProbeCase, sandboxed: (cordon: String, layers: LayerSelection)?) throws
        -> (ProbeReport?, ChildResult, String?)
    {
        try fixture.reset(probeCase.reset ?? [])
        let program = [fixture.probe, probeCase.probe] + (try (probeCase.args ?? []).map(fixture.expand))
        var argv = program
        if let sandboxed {
            let grants = try (probeCase.grants ?? []).map(fixture.expand)
            argv = SandboxCommand.argv(cordon: sandboxed.cordon, fixture: fixture, layers: sandboxed.layers, grants: grants, program: program)
        }
        let terminal = probeCase.terminal == true ? try PseudoTerminal() : nil
        if let terminal { terminal.handOver(to: fixture.user) }
        let result = try ChildProcess.run(
            argv, environment: fixture.environment, directory: fixture.workspace, user: fixture.user,
            input: terminal.map { .terminal($0) } ?? .devNull,
            leak: probeCase.leakFD == true ? fixture.leak : nil)
        return (ProbeReport.parse(result.stdout), result, terminal?.pendingInput())
    }
}
