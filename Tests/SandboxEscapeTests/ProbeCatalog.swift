import Foundation

/// The escape cases, read from `Tests/Probes/probes.json`: the cases are data, not Swift.
struct ProbeCatalog: Decodable {
    var cases: [ProbeCase]
    /// Syscalls the seccomp program must allow, so that a program denying everything cannot pass.
    var seccompSanity: [SeccompExpectation]

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Probes")

    static func load() throws -> ProbeCatalog {
        let data = try Data(contentsOf: directory.appendingPathComponent("probes.json"))
        return try JSONDecoder().decode(ProbeCatalog.self, from: data)
    }
}

/// One escape attempt: a cordon-probe technique, its arguments and what must hold.
struct ProbeCase: Decodable, Sendable {
    var name: String
    var probe: String
    var args: [String]?
    var users: String?
    var grants: [String]?
    var reset: [ResetStep]?
    var hostEffect: String?
    var terminal: Bool?
    var leakFD: Bool?
    var controlMayFail: [String: AllowedControlFailure]?
    var blockedAlone: [String]
    var seccomp: [SeccompExpectation]?

    /// The declared reason the control may fail for this user, if the errno proves it.
    func allowedControlFailure(for user: TestUser, errno: Int) -> String? {
        for key in [user.rawValue, "any"] {
            if let allowed = controlMayFail?[key], allowed.errnos.contains(errno) { return allowed.reason }
        }
        return nil
    }
}

/// A host path put into a known state before every run of a case.
struct ResetStep: Decodable, Sendable {
    var path: String
    /// `present` (a file with known original content) or `absent`.
    var state: String
}

/// A control failure that is a property of the user or the kernel, not of the test.
struct AllowedControlFailure: Decodable, Sendable {
    var reason: String
    var errnos: [Int]
}

/// What the assembled seccomp program must answer for one syscall.
struct SeccompExpectation: Decodable, Sendable {
    var syscall: String
    var arch: String?
    var nr: UInt32
    var args: [UInt64]?
    /// `deny` (errno, trap or kill: the default), `kill`, or `allow`.
    var expect: String?
}

/// One line of cordon-probe output.
struct ProbeReport: Decodable, Sendable {
    var probe: String
    var outcome: String
    var errno: Int
    var detail: String

    /// The first probe line in `output`: a terminal relay may add carriage returns or echo.
    static func parse(_ output: String) -> ProbeReport? {
        for line in output.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            guard let start = line.range(of: "{\"probe\":") else { continue }
            if let report = try? JSONDecoder().decode(ProbeReport.self, from: Data(line[start.lowerBound...].utf8)) {
                return report
            }
        }
        return nil
    }
}
