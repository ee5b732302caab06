import Foundation
import Testing

@Suite struct CommandLineTests {
    @Test func helpTeachesBothCommands() throws {
        let tree = try TestTree()
        let top = try tree.cordon(["--help"])
        #expect(top.status == 0)
        #expect(top.stdout.contains("run") && top.stdout.contains("doctor"))
        let run = try tree.cordon(["run", "--help"])
        #expect(run.status == 0)
        for text in ["--allow-read", "--allow-write", "--allow-exec", "--capability", "--best-effort", "--seccomp-profile", "Examples", "125"] {
            #expect(run.stdout.contains(text), "run --help should mention \(text)")
        }
        #expect(!run.stdout.contains("--layers"))
    }

    @Test func missingProgramIsAUsageError() throws {
        let tree = try TestTree()
        let result = try tree.cordon(["run"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("name the program"))
    }

    @Test func badCapabilitiesAreRefusedWithTheTextAndARemedy() throws {
        let tree = try TestTree()
        let cases: [([String], [String])] = [
            (["--capability", "read-file"], ["read-file", "expected"]),
            (["--capability", "network:api.example.com"], ["network:api.example.com", "expected"]),
            (["--capability", "clipboard:read"], ["clipboard:read", "not supported"]),
            (["--allow-read", tree.root + "/missing"], [tree.root + "/missing", "nothing is there"]),
            (["--memory", "lots"], ["--memory", "lots", "512M"]),
            (["--pids", "1"], ["--pids", "8"]),
            (["--seccomp-profile", tree.root + "/none.json"], ["seccomp profile", tree.root + "/none.json"]),
            (["--workspace", tree.root + "/nowhere"], ["workspace", tree.root + "/nowhere"]),
        ]
        for (arguments, expected) in cases {
            let result = try tree.cordon(["run"] + arguments + ["--", "true"])
            #expect(result.status == 125, "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty)
            for text in expected { #expect(result.stderr.contains(text), "\(arguments) → \(result.stderr)") }
        }
    }

    @Test func doctorJSONListsKernelReportAndProtections() throws {
        let tree = try TestTree()
        let result = try tree.cordon(["doctor", "--format", "json"])
        #expect(result.status == 0 || result.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let kernel = try #require(json["kernel"] as? [String: Any])
        #expect(kernel["seccompFilter"] is Bool)
        let protections = try #require(json["protections"] as? [[String: Any]])
        let patterns = protections.compactMap { $0["pattern"] as? String }
        for pattern in ["~/.ssh", "~/.bashrc", "{repo}/.git/hooks", "{repo}/.envrc", "{state}"] { #expect(patterns.contains(pattern)) }
        let seccomp = try #require(json["seccomp"] as? [String: Any])
        let denied = (seccomp["denied"] as? [[String: Any]] ?? []).flatMap { $0["names"] as? [String] ?? [] }
        #expect(denied.contains("ptrace") && denied.contains("io_uring_setup"))
        if json["refusal"] == nil {
            let report = try #require(json["report"] as? [String: Any])
            let layers = (report["entries"] as? [[String: Any]] ?? []).compactMap { $0["layer"] as? String }
            for layer in ["view", "landlock", "seccomp", "process"] { #expect(layers.contains(layer)) }
        }
    }

    @Test func doctorTextShowsTheSameReport() throws {
        let tree = try TestTree()
        let result = try tree.cordon(["doctor"])
        #expect(result.stdout.contains("Kernel"))
        #expect(result.stdout.contains("Protections here"))
        #expect(result.stdout.contains("Seccomp:"))
    }
}
