import Foundation
import SandboxPolicy
import Testing

@Suite("LaunchPlan coding")
struct LaunchPlanCodingTests {
    @Test("a plan round-trips through JSON, and one written before listeners existed decodes with none")
    func listenersOptional() throws {
        let scratch = try Scratch()
        var plan = Plans.base(scratch, script: "true")
        plan.listeners = [LoopbackListener(address: "127.0.0.1", port: 8080)]
        let data = try JSONEncoder().encode(plan)
        #expect(try JSONDecoder().decode(LaunchPlan.self, from: data) == plan)

        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object.removeValue(forKey: "listeners") != nil)
        let older = try JSONDecoder().decode(LaunchPlan.self, from: try JSONSerialization.data(withJSONObject: object))
        plan.listeners = []
        #expect(older == plan)
    }
}
