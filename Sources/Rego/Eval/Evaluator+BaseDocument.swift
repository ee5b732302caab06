/// References into the base document (`data` loaded from JSON or YAML).
extension Evaluator {
    /// Like `evalPath`, but a whole-number key also finds its decimal text among an object's
    /// keys, as OPA's store does: base-document keys are strings, so `data.x[2]` reads `"2"`.
    /// The document at a path where base data and rules meet: objects merge; where both give a
    /// value for the same key, the base document's stands, as in OPA.
    static func overlayBase(_ base: Value?, _ virtual: Value) -> Value {
        guard let base else { return virtual }
        guard case .object(var b) = base, case .object(let v) = virtual else { return base }
        for (k, x) in v { b[k] = overlayBase(b[k], x) }
        return .object(b)
    }

    func evalBasePath(_ base: Value, _ path: [CTerm], _ i: Int, _ f: Frame, _ k: VK) throws {
        guard i < path.count, case .object = base, !isPattern(path[i], f) else {
            return try evalPath(base, path, i, f, k)
        }
        try evalTerm(path[i], f) { key in
            if let child = Evaluator.index(base, key) { return try self.evalBasePath(child, path, i + 1, f, k) }
            if case .number(let n) = key, n.isInteger, let child = Evaluator.index(base, .string(n.text)) {
                try self.evalBasePath(child, path, i + 1, f, k)
            }
        }
    }
}
