import Testing
import Foundation
@testable import SandboxPolicy

@Suite struct OCISeccompProfileTests {
    static func fixture() throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/docker-like.json")
        return Array(try Data(contentsOf: url))
    }

    func imported() throws -> OCISeccompProfile {
        try OCISeccompProfile(json: try Self.fixture(), path: "docker-like.json", kernelRelease: (6, 18))
    }

    @Test func namesOfOtherArchitecturesAreSkippedAndReported() throws {
        let profile = try imported()
        #expect(profile.skippedNames == ["_llseek", "fstat64", "socketcall"])
        #expect(profile.skippedRules.count == 3)
        #expect(profile.skippedRules.contains { $0.contains("CAP_SYS_ADMIN") })
        #expect(profile.skippedRules.contains { $0.contains("arm") })
        #expect(profile.skippedRules.contains { $0.contains("99.0") })
    }

    @Test func verdictsFollowTheProfileWithNoCapabilities() throws {
        let program = try imported().filter.compile()
        func verdict(_ data: BPFInterpreter.Data) throws -> SeccompAction { try BPFInterpreter.run(program, data) }
        #expect(try verdict(.init("read")) == .allow)
        #expect(try verdict(.init("arch_prctl")) == .allow)
        #expect(try verdict(.init("getdents64")) == .allow)  // excluded only for CAP_SYS_ADMIN holders
        #expect(try verdict(.init("mount")) == .errno(1))  // included only for CAP_SYS_ADMIN holders
        #expect(try verdict(.init("futex_waitv")) == .errno(1))  // minKernel not reached
        #expect(try verdict(.init("personality", 0)) == .allow)
        #expect(try verdict(.init("personality", 0x0040_0000)) == .errno(1))
        #expect(try verdict(.init("kill", 1, 9)) == .errno(13))
        #expect(try verdict(.init("kill", 1, 15)) == .allow)
        #expect(try verdict(.init("mprotect", 0, 0, 3)) == .allow)
        #expect(try verdict(.init("mprotect", 0, 0, 7)) == .errno(1))  // PROT_EXEC refused
        #expect(try verdict(.init("getpid")) == .errno(1))
        #expect(try verdict(.init(number: 11, architecture: 0x4000_0003)) == .killProcess)
    }

    @Test func aNameUnknownEverywhereIsAnError() {
        let json = #"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read","frobnicate"],"action":"SCMP_ACT_ERRNO"}]}"#
        #expect {
            try OCISeccompProfile(json: Array(json.utf8), path: "p.json", kernelRelease: nil)
        } throws: { error in
            "\(error)".contains("frobnicate") && "\(error)".contains("p.json")
        }
    }

    @Test func notifyAndGarbageAreRefused() {
        let notify = #"{"defaultAction":"SCMP_ACT_NOTIFY","syscalls":[]}"#
        #expect(throws: CapabilityError.self) { try OCISeccompProfile(json: Array(notify.utf8), path: "n.json", kernelRelease: nil) }
        #expect(throws: CapabilityError.self) { try OCISeccompProfile(json: Array("[1,2]".utf8), path: "g.json", kernelRelease: nil) }
        let arm = #"{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_AARCH64"],"syscalls":[]}"#
        #expect(throws: CapabilityError.self) { try OCISeccompProfile(json: Array(arm.utf8), path: "a.json", kernelRelease: nil) }
    }

    @Test func profilesNarrowOnlyBecauseTheyAreInstalledSecond() throws {
        var profile = ProfileFixtures.profile()
        profile.seccompProfile = try imported().filter
        let plan = try ProfileFixtures.compiler().compile(profile).plan
        #expect(plan.seccomp.map(\.name) == ["cordon allow-list", "profile docker-like.json"])
    }
}
