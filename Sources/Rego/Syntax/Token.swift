/// A position in a Rego source: file name, 1-based row and column.
public struct SourceLocation: Sendable, Hashable {
    /// The file (or `query`) the position is in.
    public var file: String
    /// 1-based line.
    public var row: Int
    /// 1-based column, counted in characters.
    public var col: Int

    /// Creates a location.
    public init(file: String, row: Int, col: Int) {
        self.file = file
        self.row = row
        self.col = col
    }
}

/// A lexical token of Rego.
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        case ident(String)
        case string(String)
        case rawString(String)
        case number(String)
        /// `$"..."` or `` $`...` ``: literal chunks and the source text of each `{expression}`.
        case template([TemplateChunk], raw: Bool)
        case punct(String)
        case eof
    }

    var kind: Kind
    var location: SourceLocation
    /// Byte offset of the token's first character in the source.
    var offset: Int
    /// True when a newline separates this token from the previous one.
    var newlineBefore: Bool
}

/// A piece of a template string: literal text or an embedded expression's source and position.
enum TemplateChunk: Sendable, Equatable {
    case text(String)
    case expression(String, row: Int, col: Int)
}

extension Token.Kind {
    /// How the token reads in OPA's parse error messages (`unexpected <this> token`).
    var describe: String {
        switch self {
        case .ident(let s): return keywords.contains(s) ? s : "ident"
        case .string, .rawString, .template: return "string"
        case .number: return "number"
        case .punct(let p):
            switch p {
            case "{": return "{"
            case "}": return "}"
            case "[": return "["
            case "]": return "]"
            default: return p
            }
        case .eof: return "eof"
        }
    }
}

/// Rego's reserved words.
let keywords: Set<String> = [
    "package", "import", "as", "default", "else", "not", "some", "with", "if", "contains", "in", "every",
    "true", "false", "null",
]
