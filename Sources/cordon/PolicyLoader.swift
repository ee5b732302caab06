import Foundation
import Rego

/// Loads `--data` paths as OPA does: `.rego` files are modules; `.json`/`.yaml` files are base
/// documents placed at their directory's path below the given root.
struct PolicyLoader {
    var modules: [(name: String, source: String)] = []
    var data: Value = .object([:])

    init(paths: [String]) throws {
        for p in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else {
                throw RegoError(.loadError, "\(p): no such file or directory")
            }
            if isDir.boolValue {
                let root = URL(fileURLWithPath: p).standardizedFileURL
                let files = (FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? []).sorted()
                for rel in files {
                    let dir = rel.split(separator: "/").dropLast().map(String.init)
                    try load(root.appendingPathComponent(rel).path, at: dir)
                }
            } else {
                try load(p, at: [])
            }
        }
    }

    private mutating func load(_ path: String, at dir: [String]) throws {
        let ext = (path as NSString).pathExtension.lowercased()
        guard ["rego", "json", "yaml", "yml"].contains(ext) else { return }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw RegoError(.loadError, "\(path): cannot read file: \(error.localizedDescription)")
        }
        do {
            switch ext {
            case "rego": modules.append((path, text))
            case "json": data = try DataDocument.merge(data, DataDocument.json(text), at: dir)
            default: data = try DataDocument.merge(data, DataDocument.yaml(text), at: dir)
            }
        } catch let e as RegoError {
            throw e
        } catch {
            throw RegoError(.loadError, "\(path): \(error)")
        }
    }

    /// Reads an input document from a file (`.json` or `.yaml`) or standard input.
    static func input(file: String?, stdin: Bool) throws -> Value? {
        var text: String?
        if let file {
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw RegoError(.loadError, "\(file): cannot read input file")
            }
        } else if stdin {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        guard let t = text else { return nil }
        if let f = file, f.hasSuffix(".yaml") || f.hasSuffix(".yml") { return try DataDocument.yaml(t) }
        do { return try DataDocument.json(t) } catch { throw RegoError(.loadError, "input: \(error)") }
    }
}

/// The host's clock and randomness for `policy` commands (the engine itself has none).
struct SystemHostServices: HostServices {
    func nowNanoseconds() throws -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    func randomBytes(count: Int) throws -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &g) }
    }
}

/// OPA's JSON error shape and exit code, in one place.
enum PolicyOutput {
    static func errorsJSON(_ error: Error) -> String {
        let list: [RegoError]
        if let e = error as? RegoErrors { list = e.errors } else if let e = error as? RegoError { list = [e] } else {
            list = [RegoError(.internalError, "\(error)")]
        }
        let items = list.map { e -> Value in
            var o: [Value: Value] = [.string("code"): .string(e.code.rawValue), .string("message"): .string(e.message)]
            if let l = e.location {
                o[.string("location")] = .object([.string("file"): .string(l.file), .string("row"): .int(l.row), .string("col"): .int(l.col)])
            }
            return .object(o)
        }
        return Value.object([.string("errors"): .array(items)]).json(pretty: true)
    }

    static func errorsText(_ error: Error) -> String {
        if let e = error as? RegoErrors { return e.description }
        return "\(error)"
    }
}
