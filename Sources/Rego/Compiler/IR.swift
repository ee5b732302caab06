/// The compiled form of a term: names resolved to frame slots, `input`, `data` paths, or calls.
indirect enum CTerm: Sendable {
    case value(Value)
    /// A variable, by its slot in the rule's frame.
    case local(Int)
    case input
    case data
    /// A reference: head term and path operands.
    case ref(CTerm, [CTerm])
    case array([CTerm])
    case set([CTerm])
    case object([(CTerm, CTerm)])
    case arrayComprehension(CTerm, CBody)
    case setComprehension(CTerm, CBody)
    case objectComprehension(CTerm, CTerm, CBody)
    case call(CallTarget, [CTerm], SourceLocation)
    case template([CTemplatePart])
    /// A function named as the replacement in `with f as g`.
    case functionRef(CallTarget)

    var isConstant: Bool {
        if case .value = self { return true }
        return false
    }
}

/// A part of a compiled template string.
enum CTemplatePart: Sendable {
    case text(String)
    case expression(CTerm)
}

/// What a call reaches.
enum CallTarget: Sendable {
    /// A builtin of the registry, by name.
    case builtin(String)
    /// A user function: the path of its rule-tree node below `data`.
    case function([String])
    /// A builtin the evaluator implements itself (it needs the evaluator).
    case native(NativeFunction)

    /// The name mocks are keyed by (`data.p.f` or the builtin's name).
    var mockKey: String {
        switch self {
        case .builtin(let n): return n
        case .function(let p): return "data." + p.joined(separator: ".")
        case .native(let n): return n.rawValue
        }
    }
}

/// Builtins that need the evaluator.
enum NativeFunction: String, Sendable {
    case print
    /// `trace(msg)`: a note for `--explain notes|full`.
    case trace
    case walk
    case member2 = "internal.member_2"
    case member3 = "internal.member_3"
}

/// A compiled body: expressions in evaluation (safety) order.
struct CBody: Sendable {
    var exprs: [CExpr]
    /// Slots of the variables that belong to this body (not captured from an enclosing one).
    var locals: Set<Int> = []
}

/// A compiled expression.
struct CExpr: Sendable {
    indirect enum Kind: Sendable {
        case term(CTerm)
        case unify(CTerm, CTerm)
        case someIn(key: CTerm?, value: CTerm, collection: CTerm)
        case every(key: CTerm?, value: CTerm, domain: CTerm, body: CBody)
        /// `some x` declarations: always true.
        case declaration
    }

    var kind: Kind
    var negated: Bool
    var with: [(target: WithTarget, value: CTerm)]
    var location: SourceLocation
    /// Position of the expression in the source body (bodies are reordered for safety).
    var sourceIndex = 0
}

/// What a `with` modifier replaces.
enum WithTarget: Sendable {
    case input([String])
    case data([String])
    /// A function or builtin, by mock key.
    case function(String)
}

/// One compiled rule (or one `else` step of a rule).
final class CRule: Sendable {
    enum Kind: Sendable {
        case complete
        case partialSet
        case function
    }

    let kind: Kind
    /// The ref operands after the node's static path (dynamic keys of ref heads).
    let tail: [CTerm]
    /// Function operands (patterns).
    let args: [CTerm]
    /// The value (or set member) term.
    let value: CTerm
    let body: CBody
    let elseRules: [CRule]
    let frameSize: Int
    let isDefault: Bool
    let location: SourceLocation

    init(kind: Kind, tail: [CTerm], args: [CTerm], value: CTerm, body: CBody, elseRules: [CRule],
         frameSize: Int, isDefault: Bool, location: SourceLocation) {
        self.kind = kind
        self.tail = tail
        self.args = args
        self.value = value
        self.body = body
        self.elseRules = elseRules
        self.frameSize = frameSize
        self.isDefault = isDefault
        self.location = location
    }
}

/// A node of the rule tree: one path below `data`, the rules defined there and its children.
final class RuleNode: @unchecked Sendable {
    let path: [String]
    let id: Int
    var children: [String: RuleNode] = [:]
    var rules: [CRule] = []
    var defaultRule: CRule?
    /// True when any rule sits at or below this node.
    var hasRules = false

    init(path: [String], id: Int) {
        self.path = path
        self.id = id
    }

    var isFunction: Bool { rules.first?.kind == .function || defaultRule?.kind == .function }

    /// The node `path` below this one, if the tree has it.
    func descendant(_ path: [String]) -> RuleNode? {
        var n = self
        for k in path {
            guard let c = n.children[k] else { return nil }
            n = c
        }
        return n
    }
}
