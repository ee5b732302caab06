#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LinuxSystem
import Testing

@Suite("Session group names")
struct SessionGroupNameTests {
    @Test("a session group's name gives its supervisor's PID back, and no other name gives one")
    func supervisorPID() {
        #expect(CgroupGroup.supervisorPID(ofSessionGroup: CgroupGroup.sessionGroupName(supervisor: 4242, session: 7)) == 4242)
        for name in ["cordon-abc-1", "cordon-12", "cordon-12-x", "cordon--12-1", "cordon-0-1", "other-12-1", "cordon-12-1-2", "."] {
            #expect(CgroupGroup.supervisorPID(ofSessionGroup: name) == nil, "\(name)")
        }
    }
}

@Suite("Groups a killed supervisor left behind",
       .enabled(if: (try? Cgroups.locate(controller: "pids").get()) != nil, "no pids controller this user may create groups under"))
struct AbandonedCgroupsTests {
    @Test("are removed once old enough, and a live supervisor's group never is")
    func abandonedGroupsAreRemoved() throws {
        let location = try Cgroups.locate(controller: "pids").get()
        let abandoned = location.directory + "/" + CgroupGroup.sessionGroupName(supervisor: try Self.pidOfAnEndedProcess(), session: 1)
        // PID 1 always exists.
        let live = location.directory + "/" + CgroupGroup.sessionGroupName(supervisor: 1, session: 1)
        for path in [abandoned, live] { try #require(mkdir(path, 0o755) == 0, "mkdir \(path): \(String(cString: strerror(errno)))") }
        defer { for path in [abandoned, live] { rmdir(path) } }

        // Too young to be anyone's leftover: both stay.
        let early = AbandonedCgroups.remove(in: location, minimumAge: 3600)
        #expect(!early.contains(abandoned) && !early.contains(live))
        #expect(FileManager.default.fileExists(atPath: abandoned))

        let removed = AbandonedCgroups.remove(in: location, minimumAge: 0)
        #expect(removed.contains(abandoned))
        #expect(!FileManager.default.fileExists(atPath: abandoned))
        #expect(!removed.contains(live))
        #expect(FileManager.default.fileExists(atPath: live))
    }

    /// The PID of a process that has ended and been reaped.
    static func pidOfAnEndedProcess() throws -> pid_t {
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { free(argv[0]) }
        try #require(posix_spawn(&pid, "/bin/true", nil, nil, argv, nil) == 0)
        var status: Int32 = 0
        try #require(waitpid(pid, &status, 0) == pid)
        // Control: no process has it now.
        #expect(kill(pid, 0) != 0 && errno == ESRCH)
        return pid
    }
}
