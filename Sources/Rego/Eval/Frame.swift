/// The variable slots of one rule or query evaluation.
final class Frame {
    var slots: [Value?]

    init(size: Int) {
        slots = [Value?](repeating: nil, count: size)
    }
}

/// Unwinds an enumeration once a first solution is found (`not`, `every`, constant rules).
final class Halt: Error {}

/// A memoized virtual document.
enum CachedValue {
    case undefined
    case value(Value)
}

/// What `with` replaces a function by.
enum Mock {
    case value(Value)
    case function(CallTarget)
}

/// The part of the evaluation state that `with` changes.
struct EvalState {
    var input: Value?
    var dataOverrides: [[String]: Value] = [:]
    var mocks: [String: Mock] = [:]
    var cache: [Int: CachedValue] = [:]
    var functionCache: [FunctionCallKey: CachedValue] = [:]
}

/// Memo key of a user-function call.
struct FunctionCallKey: Hashable {
    let node: Int
    let args: [Value]
}
