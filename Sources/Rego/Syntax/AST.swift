/// A Rego term as parsed: scalars, variables, references, collections, comprehensions, calls.
struct Term: Sendable {
    indirect enum Kind: Sendable {
        case scalar(Value)
        case variable(String)
        /// A reference: the head term and the path operands (a `.name` step is a string scalar).
        case ref(Term, [Term])
        case array([Term])
        case set([Term])
        case object([(Term, Term)])
        case arrayComprehension(Term, [Expr])
        case setComprehension(Term, [Expr])
        case objectComprehension(Term, Term, [Expr])
        /// A call: the function's dotted name, its operands.
        case call(String, [Term])
        /// A template string: literal chunks and embedded expressions.
        case template([TemplatePart])
    }

    var kind: Kind
    var location: SourceLocation

    init(_ kind: Kind, _ location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// The variable name when the term is a plain variable.
    var variableName: String? {
        if case .variable(let n) = kind { return n }
        return nil
    }

    /// The dotted name of a reference made only of a variable and `.name` steps (`json.marshal`).
    var dottedName: String? {
        switch kind {
        case .variable(let n): return n
        case .ref(let head, let path):
            guard var s = head.variableName else { return nil }
            for p in path {
                guard case .scalar(.string(let k)) = p.kind else { return nil }
                s += "." + k
            }
            return s
        default: return nil
        }
    }
}

/// A part of a template string.
enum TemplatePart: Sendable {
    case text(String)
    case expression(Expr)
}

/// One expression (literal) of a body, with its modifiers.
struct Expr: Sendable {
    indirect enum Kind: Sendable {
        case term(Term)
        case unify(Term, Term)
        case assign(Term, Term)
        /// `some x, y`
        case someDecl([Term])
        /// `some k, v in coll` (key may be absent)
        case someIn(key: Term?, value: Term, collection: Term)
        /// `every k, v in domain { body }`
        case every(key: Term?, value: Term, domain: Term, body: [Expr])
    }

    var kind: Kind
    var negated: Bool
    var with: [(target: Term, value: Term)]
    var location: SourceLocation
}

/// A rule as parsed: head, body, and its `else` chain.
struct Rule: Sendable {
    enum HeadKind: Sendable {
        /// `p`, `p := v`, `p.q[x] := v`, `p[x]` (value true)
        case value
        /// `p contains x`
        case contains
        /// `f(args)`
        case function
    }

    var isDefault: Bool
    var kind: HeadKind
    /// The head's reference: first the rule's name, then the path operands.
    var ref: [Term]
    var args: [Term]
    /// For `contains`: the member; otherwise the value (absent means `true`).
    var value: Term?
    var body: [Expr]
    var elseRules: [Rule]
    var location: SourceLocation
    /// Annotations from a `# METADATA` comment block, kept as text.
    var annotations: String?
}

/// An `import` statement.
struct Import: Sendable {
    var path: Term
    var alias: String?
    var location: SourceLocation
}

/// A parsed source file.
struct Module: Sendable {
    var file: String
    var packagePath: [String]
    var packageLocation: SourceLocation
    var imports: [Import]
    var rules: [Rule]
    var source: String
}
