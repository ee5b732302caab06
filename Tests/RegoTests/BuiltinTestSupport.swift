import Testing
@testable import Rego

/// Calls a registered builtin directly: values in, value (nil for undefined) or error out.
func call(_ name: String, _ args: Value...) throws -> Value? {
    guard let builtin = BuiltinRegistry.standard[name] else {
        throw BuiltinError(.builtin, "no builtin named \(name)")
    }
    #expect(builtin.parameters.count == args.count, "arity of \(name)")
    let context = BuiltinContext(
        strictBuiltinErrors: true,
        hostServices: DisabledHostServices(),
        evaluationStartNanoseconds: 0,
        printSink: { _ in }
    )
    return try builtin.implementation(args, context)
}

/// The error a call raises, or nil when it succeeds.
func failure(_ name: String, _ args: Value...) -> BuiltinError? {
    guard let builtin = BuiltinRegistry.standard[name] else { return BuiltinError(.builtin, "no builtin \(name)") }
    let context = BuiltinContext(
        strictBuiltinErrors: true, hostServices: DisabledHostServices(), evaluationStartNanoseconds: 0, printSink: { _ in }
    )
    do {
        _ = try builtin.implementation(args, context)
        return nil
    } catch let error as BuiltinError {
        return error
    } catch {
        return BuiltinError(.builtin, "unexpected \(error)")
    }
}

func s(_ string: String) -> Value { .string(string) }
func arr(_ items: Value...) -> Value { .array(items) }
func set(_ items: Value...) -> Value { .set(Set(items)) }
func obj(_ pairs: (String, Value)...) -> Value {
    .object(Dictionary(uniqueKeysWithValues: pairs.map { (.string($0.0), $0.1) }))
}
