/// The set of builtins an evaluation can call, by name.
///
/// Each `Builtins/<Category>.swift` file contributes a `static let <category>: [Builtin]`
/// list in an extension of this type; `standard` gathers them.
public struct BuiltinRegistry: Sendable {
    /// Builtins by dotted name.
    public private(set) var byName: [String: Builtin]

    /// Creates a registry from a list; a later entry with the same name replaces an earlier one.
    public init(_ builtins: [Builtin]) {
        var map: [String: Builtin] = [:]
        for b in builtins { map[b.name] = b }
        byName = map
    }

    /// Looks up a builtin by its dotted name.
    public subscript(name: String) -> Builtin? { byName[name] }

    /// Adds or replaces builtins (e.g. a test-only `test.sleep`, or a mock).
    public mutating func register(_ builtins: [Builtin]) {
        for b in builtins { byName[b.name] = b }
    }

    /// Every builtin Cordon's engine ships.
    public static let standard = BuiltinRegistry(allCategories)

    /// The categories' lists, concatenated. Add a category here when its file lands.
    static var allCategories: [Builtin] {
        arithmetic + comparison + sets + aggregates + arrays + objects + types + casts + strings
            + json + encoding + bits + graph + yaml + glob + netCIDR + regex + runtime + units
    }
}
