import Testing
@testable import SandboxPolicy

@Suite struct CapabilityTests {
    let expansion = PathExpansion(home: "/home/ada", workspace: "/home/ada/src/app")

    func parse(_ text: String) throws -> Capability { try Capability(parsing: text, expansion: expansion) }

    @Test func everyKindParsesAndPrintsBack() throws {
        let cases: [(String, Capability)] = [
            ("read-file:/etc/hosts", .readFile("/etc/hosts")),
            ("read-dir:~/notes", .readDirectory("/home/ada/notes")),
            ("write-file:$WORKSPACE/out.txt", .writeFile("/home/ada/src/app/out.txt")),
            ("write-dir:${WORKSPACE}/build/", .writeDirectory("/home/ada/src/app/build")),
            ("exec:/opt//tool/./bin", .execute("/opt/tool/bin")),
            ("unix-socket:/run/user/1000/bus", .unixSocket("/run/user/1000/bus")),
            ("env:GITHUB_TOKEN", .environment("GITHUB_TOKEN")),
            ("clipboard:write", .clipboard(.write)),
            ("network:*.example.com:443", .network(try NetworkEndpointPattern(parsing: "*.example.com:443"))),
            ("read-dir:~", .readDirectory("/home/ada")),
        ]
        for (text, expected) in cases {
            let parsed = try parse(text)
            #expect(parsed == expected, "\(text)")
            #expect(try parse(parsed.description) == parsed)
        }
    }

    @Test func badTextNamesTheTextAndWhatWasExpected() {
        for text in ["read-file", "readfile:/x", "read-file:relative", "read-file:/a/../etc/shadow", "read-file:~bob/x",
                     "env:1BAD", "env:A-B", "clipboard:paste", "network:example.com", "network:exa mple.com:80"] {
            #expect {
                try parse(text)
            } throws: { error in
                guard case .invalid(let reported, let expected)? = error as? CapabilityError else { return false }
                return reported == text && !expected.isEmpty
            }
        }
    }

    @Test func unimplementedCapabilitiesAreRefusedNotIgnored() throws {
        let compiler = ProfileFixtures.compiler()
        // Network capabilities are accepted: the session plans the proxy for them.
        for text in ["clipboard:read", "clipboard:write"] {
            let profile = ProfileFixtures.profile([try parse(text)], terminal: .inheritedPipes)
            #expect {
                try compiler.compile(profile)
            } throws: { error in
                guard case .unsupported(let reported, _)? = error as? CapabilityError else { return false }
                return reported == text
            }
        }
        // With a relayed terminal, clipboard writes have a layer that honours them.
        #expect(throws: Never.self) { try compiler.compile(ProfileFixtures.profile([.clipboard(.write)], terminal: .relayedPseudoTerminal)) }
    }

    @Test func wrongKindOrMissingPathIsAnError() throws {
        let compiler = ProfileFixtures.compiler()
        for capability in [Capability.readFile("/home/ada/notes"), .readDirectory("/home/ada/notes/todo.txt"), .writeDirectory("/nope"),
                           .unixSocket("/home/ada/notes/todo.txt"), .readDirectory("/tmp"), .readFile("/proc/self/environ")] {
            #expect(throws: CapabilityError.self, "\(capability)") { try compiler.compile(ProfileFixtures.profile([capability])) }
        }
    }

    @Test func cordonDirectoriesFollowXDG() {
        let defaults = CordonDirectories(environment: [:], home: "/home/ada")
        #expect(defaults == CordonDirectories(environment: ["XDG_RUNTIME_DIR": "relative"], home: "/home/ada"))
        #expect(defaults.state == "/home/ada/.local/state/cordon")
        #expect(defaults.config == "/home/ada/.config/cordon")
        let set = CordonDirectories(environment: ["XDG_STATE_HOME": "/s", "XDG_CONFIG_HOME": "/c/", "XDG_RUNTIME_DIR": "/run/user/1000"], home: "/h")
        #expect([set.state, set.config, set.runtime] == ["/s/cordon", "/c/cordon", "/run/user/1000/cordon"])
    }
}
