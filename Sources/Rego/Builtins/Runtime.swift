extension BuiltinRegistry {
    /// The evaluation's clock and runtime description: `time.now_ns` is the evaluation's start
    /// time, fixed for the whole evaluation as in OPA, and fails when the host has no clock; `opa.runtime` describes no runtime, since
    /// the engine is embedded and publishes no configuration or environment.
    static let runtime: [Builtin] = [
        Builtin("time.now_ns", [], .number, nondeterministic: true) { _, context in
            // Asking the host first keeps a switched-off clock an error rather than the epoch.
            _ = try context.hostServices.nowNanoseconds()
            return .int(Int(context.evaluationStartNanoseconds))
        },
        Builtin("opa.runtime", [], .object(key: .string, value: .any), nondeterministic: true) { _, _ in
            .object([:])
        },
    ]
}
