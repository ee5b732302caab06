#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import Foundation

/// A signed statement "the record with sequence number `seq` has hash `hash`", kept in
/// `checkpoints.jsonl` beside the log. Whoever holds the public key can check the log without
/// trusting the machine that wrote it, and a log cut short below a checkpoint is caught.
public struct AuditCheckpoint: Sendable, Equatable, Codable {
    /// The sequence number of the record checkpointed.
    public var seq: UInt64
    /// Hex SHA-256 of that record's line.
    public var hash: String
    /// When the checkpoint was signed.
    public var time: AuditTime
    /// Base64 of the raw Ed25519 public key that signed it.
    public var key: String
    /// Base64 of the Ed25519 signature over `signedMessage`.
    public var signature: String

    /// The bytes that are signed: a fixed label, so that no other Cordon signature can be passed
    /// off as a checkpoint, then the fields in a fixed order.
    public static func signedMessage(seq: UInt64, hash: String, time: AuditTime) -> Data {
        Data("cordon-audit-checkpoint-v1\n\(seq)\n\(hash)\n\(time)\n".utf8)
    }

    /// Whether the signature is valid for `publicKey` and the key named is that key.
    public func isValid(for publicKey: Curve25519.Signing.PublicKey) -> Bool {
        guard key == publicKey.rawRepresentation.base64EncodedString(),
              let signatureBytes = Data(base64Encoded: signature) else { return false }
        return publicKey.isValidSignature(signatureBytes, for: Self.signedMessage(seq: seq, hash: hash, time: time))
    }

    /// The checkpoint as one JSON line (without newline).
    func line() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }

    /// Reads a checkpoint file; a missing file has no checkpoints.
    public static func load(path: String) throws -> [AuditCheckpoint] {
        guard try FileIO.stat(path: path) != nil else { return [] }
        let content = try FileIO.readFile(path)
        var checkpoints = [AuditCheckpoint]()
        for (index, line) in content.split(separator: 10).enumerated() {
            guard let checkpoint = try? JSONDecoder().decode(AuditCheckpoint.self, from: Data(line)) else {
                throw AuditError(.corrupt, operation: "read checkpoints", path: "\(path):\(index + 1)",
                                 detail: "not a checkpoint", remedy: "the checkpoint file was damaged or edited")
            }
            checkpoints.append(checkpoint)
        }
        return checkpoints
    }
}

/// Signs checkpoints with an Ed25519 private key.
public struct AuditCheckpointSigner: Sendable {
    /// The raw private key; kept as bytes because the key type is not `Sendable`.
    private let rawKey: Data

    /// A signer for `privateKey`.
    public init(privateKey: Curve25519.Signing.PrivateKey) { rawKey = privateKey.rawRepresentation }

    /// The private key.
    public var privateKey: Curve25519.Signing.PrivateKey {
        // The bytes came from a valid key, so they always make one again.
        try! Curve25519.Signing.PrivateKey(rawRepresentation: rawKey)
    }

    /// A signed checkpoint.
    public func sign(seq: UInt64, hash: String, time: AuditTime) throws -> AuditCheckpoint {
        let message = AuditCheckpoint.signedMessage(seq: seq, hash: hash, time: time)
        let key = privateKey
        let signature = try key.signature(for: message)
        return AuditCheckpoint(
            seq: seq, hash: hash, time: time, key: key.publicKey.rawRepresentation.base64EncodedString(),
            signature: signature.base64EncodedString())
    }
}

/// Key files: one line of base64 of the raw 32-byte key. The private key file is 0600.
public enum AuditKeys {
    /// A new key pair written to `privatePath` (0600) and `privatePath + ".pub"`. Refuses to
    /// overwrite an existing key.
    public static func generate(privatePath: String) throws -> Curve25519.Signing.PublicKey {
        let key = Curve25519.Signing.PrivateKey()
        for path in [privatePath, privatePath + ".pub"] where try FileIO.stat(path: path) != nil {
            throw AuditError(.invalidArgument, operation: "keygen", path: path, detail: "the file exists",
                             remedy: "remove it or choose another path")
        }
        let privateDescriptor = try FileIO.open(privatePath, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o600,
                                                operation: "keygen")
        defer { close(privateDescriptor) }
        try FileIO.writeAll(privateDescriptor, Array((key.rawRepresentation.base64EncodedString() + "\n").utf8),
                            path: privatePath, operation: "keygen")
        let publicDescriptor = try FileIO.open(privatePath + ".pub", flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o644,
                                               operation: "keygen")
        defer { close(publicDescriptor) }
        try FileIO.writeAll(publicDescriptor,
                            Array((key.publicKey.rawRepresentation.base64EncodedString() + "\n").utf8),
                            path: privatePath + ".pub", operation: "keygen")
        return key.publicKey
    }

    /// Reads a private key file.
    public static func privateKey(path: String) throws -> Curve25519.Signing.PrivateKey {
        let bytes = try keyBytes(path: path)
        do {
            return try Curve25519.Signing.PrivateKey(rawRepresentation: bytes)
        } catch {
            throw AuditError(.badKey, operation: "read private key", path: path, detail: "not an Ed25519 key",
                             remedy: "create one with `cordon audit keygen`")
        }
    }

    /// Reads a public key from a file, or from the argument itself when it is the base64 key.
    public static func publicKey(_ pathOrBase64: String) throws -> Curve25519.Signing.PublicKey {
        let bytes: Data
        if try FileIO.stat(path: pathOrBase64) != nil {
            bytes = try keyBytes(path: pathOrBase64)
        } else if let decoded = Data(base64Encoded: pathOrBase64) {
            bytes = decoded
        } else {
            throw AuditError(.badKey, operation: "read public key", path: pathOrBase64,
                             detail: "neither a file nor a base64 key", remedy: "pass the .pub file from `cordon audit keygen`")
        }
        do {
            return try Curve25519.Signing.PublicKey(rawRepresentation: bytes)
        } catch {
            throw AuditError(.badKey, operation: "read public key", path: pathOrBase64, detail: "not an Ed25519 key",
                             remedy: "pass the .pub file from `cordon audit keygen`")
        }
    }

    private static func keyBytes(path: String) throws -> Data {
        let text = String(decoding: try FileIO.readFile(path), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard let data = Data(base64Encoded: text) else {
            throw AuditError(.badKey, operation: "read key", path: path, detail: "not base64",
                             remedy: "create keys with `cordon audit keygen`")
        }
        return data
    }
}
