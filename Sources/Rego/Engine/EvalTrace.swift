import Foundation

/// One step of an evaluation, as OPA's `--explain` reports them.
public struct TraceEvent: Sendable, Equatable {
    /// OPA's trace operations.
    public enum Op: String, Sendable {
        /// A rule or function body is entered.
        case enter = "Enter"
        /// An expression is evaluated.
        case eval = "Eval"
        /// A rule or function body produced a solution.
        case exit = "Exit"
        /// An expression has no (further) solution.
        case fail = "Fail"
        /// Evaluation backtracks into an expression for its next solution.
        case redo = "Redo"
        /// `trace(msg)` was called.
        case note = "Note"
    }

    /// The operation.
    public var op: Op
    /// Nesting of rule and function evaluations (0: the query).
    public var depth: Int
    /// The expression or rule the event is about.
    public var location: SourceLocation
    /// For `Enter`/`Exit`: the rule's path (`data.x.p`); for `Note`: the message.
    public var detail: String?

    /// Creates an event.
    public init(op: Op, depth: Int, location: SourceLocation, detail: String? = nil) {
        self.op = op
        self.depth = depth
        self.location = location
        self.detail = detail
    }
}

/// Collects the trace of evaluations it is passed to (through `EvalOptions.tracer`). One
/// recorder may be shared by evaluations on several threads; events are appended under a lock.
public final class TraceRecorder: @unchecked Sendable {
    /// True: record every step; false: only `trace(msg)` notes.
    public let full: Bool
    private let lock = NSLock()
    private var recorded: [TraceEvent] = []

    /// Creates a recorder for every step (`full`) or for notes only.
    public init(full: Bool) {
        self.full = full
    }

    /// The events recorded so far, in order.
    public var events: [TraceEvent] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    func record(_ e: TraceEvent) {
        if !full && e.op != .note { return }
        lock.lock()
        recorded.append(e)
        lock.unlock()
    }

    /// OPA's pretty trace: `file:row`, one `| ` per nesting level, the operation and the source
    /// text of the expression (looked up in `sources`, keyed by file name).
    public func render(sources: [String: String]) -> [String] {
        let evs = events
        var split: [String: [Substring]] = [:]
        for (name, text) in sources { split[name] = text.split(separator: "\n", omittingEmptySubsequences: false) }
        let places = evs.map { "\($0.location.file):\($0.location.row)" }
        let width = places.map(\.count).max() ?? 0
        var out: [String] = []
        for (e, place) in zip(evs, places) {
            let indent = String(repeating: "| ", count: e.depth)
            let what: String
            switch e.op {
            case .enter, .exit:
                what = e.detail ?? TraceRecorder.text(split[e.location.file], e.location)
            case .note:
                what = Value.string(e.detail ?? "").json()
            default:
                what = TraceRecorder.text(split[e.location.file], e.location)
            }
            out.append(place.padding(toLength: width, withPad: " ", startingAt: 0) + " " + indent + e.op.rawValue + " " + what)
        }
        return out
    }

    /// The source text of an expression: its line from its column on, without a trailing `;` or comment.
    static func text(_ lines: [Substring]?, _ l: SourceLocation) -> String {
        guard let lines, l.row >= 1, l.row <= lines.count else { return "" }
        let line = Array(lines[l.row - 1])
        let start = min(max(0, l.col - 1), line.count)
        var s = String(line[start...])
        if let comment = s.range(of: " #") { s = String(s[..<comment.lowerBound]) }
        return s.trimmingCharacters(in: CharacterSet(charactersIn: " \t\r;{"))
    }
}
