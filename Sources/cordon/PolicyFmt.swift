import ArgumentParser
import Foundation
import Rego

/// `cordon policy fmt`: rewrites Rego files in canonical form, like `opa fmt`.
struct PolicyFmt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Format Rego files.",
        discussion: """
        Prints each file in canonical form (formatting twice changes nothing). With -l or -d \
        it exits 2 when a file would change, for use in CI.

        Examples:
          cordon policy fmt policy.rego
          cordon policy fmt -w policies/
          cordon policy fmt -l policies/
        """
    )

    @Flag(name: [.short, .customLong("write")], help: "Overwrite the files with the formatted text.")
    var write = false
    @Flag(name: [.short, .customLong("diff")], help: "Show files whose formatting would change, with both versions.")
    var diff = false
    @Flag(name: [.short, .customLong("list")], help: "List files whose formatting would change.")
    var list = false
    @Argument(help: "Files or directories.")
    var paths: [String]

    func run() throws {
        var changed = false
        for file in try regoFiles() {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let formatted: String
            do {
                formatted = try RegoFormatter.format(text, file: file)
            } catch {
                FileHandle.standardError.write(Data((PolicyOutput.errorsText(error) + "\n").utf8))
                throw ExitCode(1)
            }
            let differs = formatted != text
            changed = changed || differs
            if write {
                if differs { try formatted.write(toFile: file, atomically: true, encoding: .utf8) }
            } else if list {
                if differs { print(file) }
            } else if diff {
                if differs { print("--- \(file)\n+++ \(file) (formatted)\n\(formatted)") }
            } else {
                print(formatted, terminator: "")
            }
        }
        if (list || diff) && changed { throw ExitCode(2) }
    }

    private func regoFiles() throws -> [String] {
        var out: [String] = []
        for p in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else {
                throw ValidationError("\(p): no such file or directory")
            }
            if isDir.boolValue {
                let files = FileManager.default.enumerator(atPath: p)?.allObjects as? [String] ?? []
                out += files.filter { $0.hasSuffix(".rego") }.sorted().map { (p as NSString).appendingPathComponent($0) }
            } else {
                out.append(p)
            }
        }
        return out
    }
}
