import Foundation

/// Results one policy's evaluations share: values of input-independent rules and the indexes of
/// scans over its base document. A policy is one version of its data (new data means a new
/// `Policy`), so nothing here is ever invalidated, only bounded. Guarded by a lock: evaluations
/// run on many threads at once.
final class SharedResults: @unchecked Sendable {
    /// Rule values depend on the options that change results, not only on the node.
    struct RuleKey: Hashable {
        let node: Int
        let strictBuiltinErrors: Bool
        let maxDepth: Int
    }

    private let lock = NSLock()
    private var rules: [RuleKey: CachedValue] = [:]
    private var indexes: [ScanIndex.Key: ScanIndex] = [:]
    private let capacity: Int

    init(capacity: Int = 4096) { self.capacity = capacity }

    func rule(_ key: RuleKey) -> CachedValue? {
        lock.lock()
        defer { lock.unlock() }
        return rules[key]
    }

    func storeRule(_ key: RuleKey, _ value: CachedValue) {
        lock.lock()
        defer { lock.unlock() }
        if rules.count >= capacity { rules.removeAll(keepingCapacity: true) }
        rules[key] = value
    }

    func index(_ key: ScanIndex.Key) -> ScanIndex? {
        lock.lock()
        defer { lock.unlock() }
        return indexes[key]
    }

    func storeIndex(_ index: ScanIndex) {
        lock.lock()
        defer { lock.unlock() }
        if indexes.count >= capacity { indexes.removeAll(keepingCapacity: true) }
        indexes[index.key] = index
    }
}

/// The members of a collection in the base document grouped by the values at some paths inside
/// them, so that `some g in data.grants; g.user == input.user` visits only that user's grants.
final class ScanIndex: Sendable {
    struct Key: Hashable {
        /// Where the collection is, below `data`.
        let collection: [String]
        /// The paths inside each member whose values are compared.
        let fields: [[Value]]
    }

    let key: Key
    /// Key and member of each entry, in the collection's iteration order, by field values.
    let groups: [[Value]: [(Value, Value)]]

    init(key: Key, collection: Value) {
        self.key = key
        var groups: [[Value]: [(Value, Value)]] = [:]
        func add(_ k: Value, _ member: Value) {
            var values: [Value] = []
            values.reserveCapacity(key.fields.count)
            for path in key.fields {
                var v = member
                for step in path {
                    guard let next = Evaluator.index(v, step) else { return }
                    v = next
                }
                values.append(v)
            }
            groups[values, default: []].append((k, member))
        }
        switch collection {
        case .array(let a): for (i, x) in a.enumerated() { add(.int(i), x) }
        case .object(let o): for (k, v) in o { add(k, v) }
        case .set(let s): for x in s { add(x, x) }
        default: break
        }
        self.groups = groups
    }
}
