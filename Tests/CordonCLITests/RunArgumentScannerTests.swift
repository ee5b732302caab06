import AuditLog
import Foundation
import Supervisor
import Testing

@testable import cordon

/// `cordon run` reads its command line without ArgumentParser when it can: that reading must
/// agree with ArgumentParser's on everything it accepts, and leave the rest to it.
@Suite struct RunArgumentScannerTests {
    /// Command lines both readings accept.
    static let wellFormed: [[String]] = [
        ["--", "true"],
        ["--", "bash", "-c", "echo --not-an-option"],
        ["--workspace", "/w", "--allow-read", "/a", "--allow-read", "/b", "--allow-write", "/c", "--allow-exec", "/d", "--", "p"],
        ["--capability", "env:TOKEN", "--allow-net", "api.example.com:443", "--capability", "read-file:/x", "--", "p", "--", "x"],
        ["--memory", "4G", "--pids", "64", "--seccomp-profile", "/p.json", "--best-effort", "--verbose", "--", "p"],
        ["--layers", "view,seccomp", "--audit", "required", "--audit-dir", "/d", "--audit-sign-key", "/k", "--", "p"],
        ["--allow-local-port", "12345", "--allow-local-port", "8", "--allow-net", "localhost:5432", "--", "psql"],
        ["--workspace=/w", "--allow-read=/a", "--audit=best-effort", "--allow-local-port=1", "--", "p"],
        ["--verbose", "--", "p"],
    ]

    /// Command lines the scanner leaves to ArgumentParser (which refuses most of them).
    static let leftToArgumentParser: [[String]] = [
        [], ["--"], ["--help"], ["-h"], ["true"], ["--workspace"], ["--workspace", "--", "p"], ["--unknown", "--", "p"],
        ["-v", "--", "p"], ["--verbose", "--verbose", "--", "p"], ["--workspace", "/a", "--workspace", "/b", "--", "p"],
        ["--allow-local-port", "70000", "--", "p"], ["--allow-local-port", "port", "--", "p"], ["--audit", "sometimes", "--", "p"],
        ["--layers", "none", "--", "p"], ["--verbose=yes", "--", "p"], ["--memory", "-1", "--", "p"],
    ]

    @Test(arguments: wellFormed)
    func bothReadingsAgree(arguments: [String]) throws {
        let scanned = try #require(RunArgumentScanner.scan(arguments))
        let parsed = try RunCommand.parse(arguments).invocation()
        #expect(scanned == parsed)
    }

    @Test(arguments: leftToArgumentParser)
    func whatTheScannerIsNotSureOfGoesToArgumentParser(arguments: [String]) {
        #expect(RunArgumentScanner.scan(arguments) == nil)
    }

    @Test func theDefaultsAreArgumentParsersDefaults() throws {
        let scanned = try #require(RunArgumentScanner.scan(["--", "p"]))
        #expect(scanned.audit.mode == .bestEffort && scanned.request.layers == .all && !scanned.verbose)
        #expect(scanned == (try RunCommand.parse(["--", "p"]).invocation()))
    }

    /// Every option ArgumentParser shows for `run` (hidden ones included) is one the scanner
    /// knows, and the other way round: an option added to one reading only fails here.
    @Test func bothReadingsKnowTheSameOptions() throws {
        let tree = try TestTree()
        let dump = try tree.cordon(["run", "--experimental-dump-help"])
        #expect(dump.status == 0, "\(dump.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        let command = try #require(json["command"] as? [String: Any])
        let arguments = try #require(command["arguments"] as? [[String: Any]])
        var names: Set<String> = []
        for argument in arguments {
            for name in argument["names"] as? [[String: Any]] ?? [] where name["kind"] as? String == "long" {
                if let text = name["name"] as? String, text != "help" { names.insert(text) }
            }
        }
        #expect(names == RunArgumentScanner.valueOptions.union(RunArgumentScanner.flags))
    }
}
