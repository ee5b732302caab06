import ArgumentParser
import AuditLog
import Foundation

/// `cordon audit keygen`: an Ed25519 key pair for signed checkpoints.
struct AuditKeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create an Ed25519 key pair for signing audit checkpoints (--audit-sign-key).",
        discussion: "Keep the private key away from the audit directory; give the .pub file to whoever verifies."
    )

    @Option(name: .customLong("out"), help: "The private key file; the public key goes to <out>.pub.")
    var output: String = AuditKeygenCommand.defaultPath

    static var defaultPath: String {
        let environment = ProcessInfo.processInfo.environment
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
        return config + "/cordon/audit-signing.key"
    }

    func run() throws {
        let parent = (output as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            try AuditDirectory(path: parent).create()
        }
        let publicKey = try AuditKeys.generate(privatePath: output)
        print("private key: \(output)")
        print("public key:  \(output).pub")
        print(publicKey.rawRepresentation.base64EncodedString())
    }
}
