import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `cordon run` sessions recorded in the audit log, read back through `cordon audit verify`
/// and the log file itself.
@Suite struct RunAuditTests {
    /// The records of the log in `directory`, as JSON objects in file order.
    static func records(in directory: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: directory + "/audit.jsonl", encoding: .utf8)
        return try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    static func defaultDirectory(_ tree: TestTree) -> String { tree.home + "/.local/state/cordon/audit" }

    @Test func aSessionIsRecordedFromStartToStopAndVerifies() throws {
        let tree = try TestTree()
        let result = try tree.cordon(["run", "--capability", "env:SECRET_TOKEN", "--", "sh", "-c", "echo ran; exit 3"])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stdout == "ran\n")
        #expect(result.stderr.isEmpty)
        let killed = try tree.cordon(["run", "--", "sh", "-c", "kill -TERM $$"])
        #expect(killed.status == 128 + SIGTERM)

        let verify = try tree.cordon(["audit", "verify"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.hasPrefix("OK 4 record(s)"), "\(verify.stdout)")

        let records = try Self.records(in: Self.defaultDirectory(tree))
        #expect(records.map { $0["kind"] as? String } == ["session.start", "session.stop", "session.start", "session.stop"])
        guard records.count == 4 else { return }
        let (start, stop) = (records[0], records[1])
        let session = try #require(start["session"] as? String)
        #expect(stop["session"] as? String == session)
        #expect(records[2]["session"] as? String != session)
        #expect(start["command"] as? [String] == ["sh", "-c", "echo ran; exit 3"])
        #expect((start["capabilities"] as? [String])?.contains("env:SECRET_TOKEN") == true)
        let layers = (start["enforcement"] as? [[String: Any]])?.compactMap { $0["layer"] as? String } ?? []
        #expect(layers.contains("landlock") && layers.contains("seccomp"), "\(layers)")
        let policy = start["policy"] as? [String: Any]
        #expect(policy?["name"] as? String == "builtin")
        #expect(start["audit_mode"] as? String == "best-effort")
        #expect(stop["exit_code"] as? Int == 3)
        #expect(stop["signal"] == nil)
        #expect(records[3]["signal"] as? Int == Int(SIGTERM))
        #expect(records[3]["exit_code"] == nil)
    }

    @Test func aLaunchThatFailsIsRecorded() throws {
        let tree = try TestTree()
        let result = try tree.cordon(["run", "--", "/usr/bin/no-such-program"])
        #expect(result.status == 127, "\(result.stderr)")
        let records = try Self.records(in: Self.defaultDirectory(tree))
        #expect(records.map { $0["kind"] as? String } == ["session.start", "layer.failure"])
        #expect(records.last?["fatal"] as? Bool == true)
        #expect(try tree.cordon(["audit", "verify"]).status == 0)
    }

    @Test func requiredAuditRefusesToStartWithoutALog() throws {
        let tree = try TestTree()
        // A regular file where a directory must be: even root cannot create the audit directory.
        try tree.write("blocker", "not a directory\n")
        // The workspace root takes no new names (protected names that do not exist yet): a subdirectory does.
        try tree.write("home/project/out/keep", "")
        let unwritable = tree.root + "/blocker/audit"
        let refused = try tree.cordon(["run", "--audit", "required", "--audit-dir", unwritable, "--", "sh", "-c", "echo x > out/marker"])
        #expect(refused.status == 125)
        #expect(refused.stderr.contains("open the audit log") && refused.stderr.contains(unwritable), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tree.workspace + "/out/marker"))
        // Positive control: in best-effort mode the same program runs, and the gap is said aloud.
        let ran = try tree.cordon(["run", "--audit-dir", unwritable, "--", "sh", "-c", "echo x > out/marker"])
        #expect(ran.status == 0, "\(ran.stderr)")
        #expect(ran.stderr.contains("AUDIT OFF"), "\(ran.stderr)")
        #expect(FileManager.default.fileExists(atPath: tree.workspace + "/out/marker"))
    }

    @Test func aCustomAuditDirectoryInTheWorkspaceIsHiddenInside() throws {
        let tree = try TestTree()
        let result = try tree.cordon(["run", "--audit", "required", "--audit-dir", "audit-log", "--", "sh", "-c",
            "cat audit-log/audit.jsonl; ls -A audit-log; echo tampered >> audit-log/audit.jsonl; echo done"])
        #expect(result.stdout.hasSuffix("done\n"), "\(result.stderr)")
        #expect(!result.stdout.contains("session.start"))
        #expect(!result.stdout.contains("audit.jsonl"))
        // Positive control: the start record was in the file before the program ran.
        let records = try Self.records(in: tree.workspace + "/audit-log")
        #expect(records.map { $0["kind"] as? String } == ["session.start", "session.stop"])
        #expect(try tree.cordon(["audit", "verify", "--audit-dir", tree.workspace + "/audit-log"]).status == 0)
    }

    @Test func signedCheckpointsVerifyWithThePublicKey() throws {
        let tree = try TestTree()
        try tree.write("home/project/out/keep", "")
        let key = tree.root + "/keys/signing.key"
        #expect(try tree.cordon(["audit", "keygen", "--out", key]).status == 0)
        let result = try tree.cordon(["run", "--audit-sign-key", key, "--", "sh", "-c", "echo x > out/signed"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: tree.workspace + "/out/signed"))
        let verify = try tree.cordon(["audit", "verify", "--public-key", key + ".pub"])
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(verify.stdout.contains("signed checkpoint(s) verified"), "\(verify.stdout)")
        let badKey = try tree.cordon(["run", "--audit-sign-key", tree.root + "/keys/missing.key", "--", "sh", "-c", "echo x > out/marker"])
        #expect(badKey.status == 125)
        #expect(!FileManager.default.fileExists(atPath: tree.workspace + "/out/marker"))
    }
}
