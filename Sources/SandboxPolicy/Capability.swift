/// One thing a session may do, in the vocabulary `<kind>:<target>`.
///
/// Paths are absolute and normalised once parsed (`~` and `$WORKSPACE` expanded, no `.` or
/// `..` components, no trailing slash), so two spellings of one path compare equal.
public enum Capability: Sendable, Hashable, CustomStringConvertible {
    case readFile(String)
    case readDirectory(String)
    case writeFile(String)
    case writeDirectory(String)
    /// Execute (and so read) a file, or anything beneath a directory.
    case execute(String)
    case network(NetworkEndpointPattern)
    /// Connect to one named unix socket on the host.
    case unixSocket(String)
    /// Pass one environment variable through.
    case environment(String)
    case clipboard(ClipboardAccess)

    /// `clipboard:read` or `clipboard:write`.
    public enum ClipboardAccess: String, Sendable, Hashable {
        case read, write
    }

    /// The canonical text form, as `init(parsing:expansion:)` accepts it.
    public var description: String {
        switch self {
        case .readFile(let p): return "read-file:\(p)"
        case .readDirectory(let p): return "read-dir:\(p)"
        case .writeFile(let p): return "write-file:\(p)"
        case .writeDirectory(let p): return "write-dir:\(p)"
        case .execute(let p): return "exec:\(p)"
        case .network(let e): return "network:\(e)"
        case .unixSocket(let p): return "unix-socket:\(p)"
        case .environment(let n): return "env:\(n)"
        case .clipboard(let a): return "clipboard:\(a.rawValue)"
        }
    }

    /// The path a filesystem capability names, if it names one.
    public var path: String? {
        switch self {
        case .readFile(let p), .readDirectory(let p), .writeFile(let p), .writeDirectory(let p), .execute(let p), .unixSocket(let p):
            return p
        case .network, .environment, .clipboard:
            return nil
        }
    }

    static let vocabulary = "one of read-file:PATH, read-dir:PATH, write-file:PATH, write-dir:PATH, exec:PATH, network:HOST:PORT, unix-socket:PATH, env:NAME, clipboard:read, clipboard:write"

    /// Parses `text`, expanding `~` to the home directory and `$WORKSPACE` to the workspace.
    public init(parsing text: String, expansion: PathExpansion) throws(CapabilityError) {
        guard let colon = text.firstIndex(of: ":") else {
            throw .invalid(text: text, expected: Self.vocabulary)
        }
        let kind = text[..<colon]
        let target = String(text[text.index(after: colon)...])
        func path() throws(CapabilityError) -> String {
            try expansion.expand(target, in: text)
        }
        switch kind {
        case "read-file": self = .readFile(try path())
        case "read-dir": self = .readDirectory(try path())
        case "write-file": self = .writeFile(try path())
        case "write-dir": self = .writeDirectory(try path())
        case "exec": self = .execute(try path())
        case "unix-socket": self = .unixSocket(try path())
        case "network":
            do {
                self = .network(try NetworkEndpointPattern(parsing: target))
            } catch {
                if case .invalid(_, let expected) = error { throw .invalid(text: text, expected: expected) }
                throw error
            }
        case "env":
            guard Self.isEnvironmentName(target) else {
                throw .invalid(text: text, expected: "env:NAME with NAME made of letters, digits and '_', not starting with a digit")
            }
            self = .environment(target)
        case "clipboard":
            guard let access = ClipboardAccess(rawValue: target) else {
                throw .invalid(text: text, expected: "clipboard:read or clipboard:write")
            }
            self = .clipboard(access)
        default:
            throw .invalid(text: text, expected: Self.vocabulary)
        }
    }

    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)) }
    }
}

/// How `~` and `$WORKSPACE` in capability paths expand.
public struct PathExpansion: Sendable, Equatable {
    /// The home directory (from `$HOME`).
    public var home: String
    /// The workspace directory.
    public var workspace: String

    /// Creates an expansion.
    public init(home: String, workspace: String) {
        self.home = home
        self.workspace = workspace
    }

    /// Expands and normalises `path`; `text` is the whole capability, for messages.
    public func expand(_ path: String, in text: String) throws(CapabilityError) -> String {
        var expanded = path
        if path == "~" || path.hasPrefix("~/") {
            expanded = home + path.dropFirst()
        } else if path.hasPrefix("~") {
            throw .invalid(text: text, expected: "a path starting with / or ~/ or $WORKSPACE (~user is not expanded)")
        } else {
            for variable in ["$WORKSPACE", "${WORKSPACE}"] where path == variable || path.hasPrefix(variable + "/") {
                expanded = workspace + path.dropFirst(variable.count)
            }
        }
        guard expanded.hasPrefix("/") else {
            throw .invalid(text: text, expected: "an absolute path, or one starting with ~/ or $WORKSPACE/")
        }
        guard let normal = PathText.normalise(expanded) else {
            throw .invalid(text: text, expected: "a path without '..' components (resolve it first)")
        }
        return normal
    }
}

/// Lexical path operations. No system calls: symbolic links are the facts provider's business.
enum PathText {
    /// Collapses `//`, `/./` and a trailing `/`; `nil` when the path has a `..` component.
    static func normalise(_ path: String) -> String? {
        var normalised = ""
        for part in path.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            if part == ".." { return nil }
            normalised += "/" + String(part)
        }
        return normalised.isEmpty ? "/" : normalised
    }

    /// True when `path` is `ancestor` or beneath it.
    static func isWithin(_ path: String, _ ancestor: String) -> Bool {
        if ancestor == "/" { return true }
        let (inner, outer) = (path.utf8, ancestor.utf8)
        guard inner.count >= outer.count, inner.starts(with: outer) else { return false }
        return inner.count == outer.count || inner[inner.index(inner.startIndex, offsetBy: outer.count)] == UInt8(ascii: "/")
    }

    /// True when `path` is strictly beneath `ancestor`.
    static func isStrictlyWithin(_ path: String, _ ancestor: String) -> Bool {
        path != ancestor && isWithin(path, ancestor)
    }

    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory == "/" ? "/" + name : directory + "/" + name
    }

    static func depth(_ path: String) -> Int { path == "/" ? 0 : path.split(separator: "/").count }

    /// `path` and its ancestors down from the root, excluding `/`.
    static func ancestry(_ path: String) -> [String] {
        var result: [String] = []
        var current = ""
        for part in path.split(separator: "/") {
            current += "/" + String(part)
            result.append(current)
        }
        return result
    }
}

extension PathText {
    /// `relative` against `base`, with `..` taken lexically (for paths git writes, such as
    /// `gitdir: ../.git/modules/sub`); `nil` when it climbs above `/`.
    static func resolve(_ relative: String, against base: String) -> String? {
        var parts = relative.hasPrefix("/") ? [] : base.split(separator: "/").map(String.init)
        for part in relative.split(separator: "/") where part != "." {
            if part == ".." {
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            } else {
                parts.append(String(part))
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
