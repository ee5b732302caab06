/// What a sandbox is at its clone, before the rest of its plan exists: its namespaces, its id
/// mapping, the layers that are on and its cgroup limits. The launcher can clone a sandbox from
/// a shape while the profile is still being compiled; the plan it then receives must have the
/// same shape (`LaunchPlan.shape`).
public struct LaunchShape: Sendable, Equatable {
    public var namespaces: Namespaces
    public var idMapping: IDMapping
    public var layers: Layers
    public var cgroupLimits: CgroupLimits

    /// Creates a shape.
    public init(namespaces: Namespaces, idMapping: IDMapping, layers: Layers, cgroupLimits: CgroupLimits) {
        self.namespaces = namespaces
        self.idMapping = idMapping
        self.layers = layers
        self.cgroupLimits = cgroupLimits
    }
}

extension LaunchPlan {
    /// The plan's shape.
    public var shape: LaunchShape {
        LaunchShape(namespaces: namespaces, idMapping: idMapping, layers: layers, cgroupLimits: cgroupLimits)
    }
}
