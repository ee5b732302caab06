import Foundation

/// Compiles `Tests/Probes/cordon-probe.c` once per test run with `cc -static -O2`: nothing
/// prebuilt is committed, and a static binary runs inside any view.
enum ProbeBinary {
    private static let built: Result<String, FixtureError> = {
        do {
            let dir = try EscapeFixture.makeTempDirectory("cordon-probe-build")
            let output = dir + "/cordon-probe"
            let source = ProbeCatalog.directory.appendingPathComponent("cordon-probe.c").path
            let r = try ChildProcess.run(
                ["/usr/bin/env", "cc", "-static", "-O2", "-Wall", "-Werror", "-o", output, source],
                environment: ["PATH=/usr/local/bin:/usr/bin:/bin"], directory: dir, user: .root)
            guard r.exitCode == 0 else { return .failure(FixtureError("cc -static cordon-probe.c failed:\n\(r.stderr)")) }
            return .success(output)
        } catch {
            return .failure(FixtureError("cannot build cordon-probe: \(error)"))
        }
    }()

    static func path() throws -> String { try built.get() }
}

/// Finds the `cordon` binary SwiftPM built next to this test bundle.
enum CordonBinary {
    static func path() throws -> String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // The bundle may be a directory (`X.xctest/...`) on some layouts.
        while dir.path != "/" && dir.lastPathComponent.hasSuffix(".xctest") { dir.deleteLastPathComponent() }
        let candidate = dir.appendingPathComponent("cordon").path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw FixtureError("no cordon binary at \(candidate): build it first (swift build --build-tests builds it)")
        }
        return candidate
    }
}
