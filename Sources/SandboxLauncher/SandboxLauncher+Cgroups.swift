import LinuxSystem
import SandboxPolicy
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension SandboxLauncher {
    /// Creates one group per controller the shape limits and sets its limit, first removing the
    /// groups killed supervisors left there (`AbandonedCgroups`). A controller this user cannot
    /// use is reported `off` with the reason: whether to run anyway is the caller's decision,
    /// made from `probeKernel()` before the plan was compiled.
    static func createCgroups(_ shape: LaunchShape, entries: inout [EnforcementReport.Entry]) -> [CgroupGroup] {
        guard shape.layers.contains(.process) else {
            for (layer, limit) in [("cgroup.memory", shape.cgroupLimits.memoryBytes), ("cgroup.pids", shape.cgroupLimits.maxProcesses)]
            where limit != nil {
                entries.append(.init(layer: layer, status: .off, detail: "process layer switched off"))
            }
            return []
        }
        var groups: [CgroupGroup] = []
        let name = CgroupGroup.sessionGroupName(supervisor: getpid(), session: sessionCounter.wrappingAdd(1, ordering: .relaxed).newValue)
        func apply(_ controller: String, _ limit: UInt64?, _ set: (CgroupGroup, UInt64) throws(LinuxSystemError) -> Void) {
            guard let limit else { return }
            let layer = "cgroup.\(controller)"
            do {
                let location = try Cgroups.locate(controller: controller).get()
                AbandonedCgroups.remove(in: location)
                let group = try CgroupGroup.create(in: location, name: name)
                do {
                    try set(group, limit)
                } catch {
                    try? group.remove()
                    throw error
                }
                groups.append(group)
                entries.append(.init(layer: layer, status: .enforced, detail: "\(limit) in \(group.directory) (\(location.version.rawValue))"))
            } catch {
                entries.append(.init(layer: layer, status: .off, detail: "\(error); delegate a cgroup to this user or run as root"))
            }
        }
        apply("memory", shape.cgroupLimits.memoryBytes) { (group, limit) throws(LinuxSystemError) in try group.limitMemory(bytes: limit) }
        apply("pids", shape.cgroupLimits.maxProcesses) { (group, limit) throws(LinuxSystemError) in try group.limitProcesses(limit) }
        return groups
    }
}

/// Distinguishes the groups of sessions started by one process.
private let sessionCounter = Atomic<Int>(0)
