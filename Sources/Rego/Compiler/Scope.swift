/// Variable names visible in one body, mapped to frame slots. Nested bodies (comprehensions,
/// `every`) get a child scope; a name used in an enclosing body refers to the enclosing variable.
final class Scope {
    let parent: Scope?
    var names: [String: Int] = [:]
    /// Names declared with `some`, `:=`, function operands or `every`: they shadow rule names.
    var declared: Set<String> = []

    init(parent: Scope?) { self.parent = parent }

    func lookup(_ name: String) -> Int? {
        var s: Scope? = self
        while let c = s {
            if let i = c.names[name] { return i }
            s = c.parent
        }
        return nil
    }

    /// Slots of every enclosing scope: variables a nested body may capture.
    var enclosingSlots: Set<Int> {
        var out: Set<Int> = []
        var s = parent
        while let c = s {
            out.formUnion(c.names.values)
            s = c.parent
        }
        return out
    }
}

/// Allocates frame slots for one rule or query.
final class SlotAllocator {
    var count = 0
    var names: [Int: String] = [:]

    func next(_ name: String) -> Int {
        count += 1
        names[count - 1] = name
        return count - 1
    }
}
