/// What a sandbox is at its clone, before the rest of its plan exists: its namespaces, its id
/// mapping, the layers that are on, its cgroup limits and the base of its view. The launcher can
/// clone a sandbox from a shape, and let it mount that base, while the profile is still being
/// compiled; the plan it then receives must have the same shape (`LaunchPlan.shape`).
public struct LaunchShape: Sendable, Equatable {
    public var namespaces: Namespaces
    public var idMapping: IDMapping
    public var layers: Layers
    public var cgroupLimits: CgroupLimits
    /// The first mount steps of every plan of this shape (`LaunchPlan.baseMountCount`).
    public var baseMounts: [MountStep]

    /// Creates a shape.
    public init(namespaces: Namespaces, idMapping: IDMapping, layers: Layers, cgroupLimits: CgroupLimits, baseMounts: [MountStep] = []) {
        self.namespaces = namespaces
        self.idMapping = idMapping
        self.layers = layers
        self.cgroupLimits = cgroupLimits
        self.baseMounts = baseMounts
    }
}

extension LaunchPlan {
    /// The plan's shape.
    public var shape: LaunchShape {
        LaunchShape(namespaces: namespaces, idMapping: idMapping, layers: layers, cgroupLimits: cgroupLimits,
                    baseMounts: layers.contains(.view) && namespaces.contains(.mount) ? Array(mounts.prefix(baseMountCount)) : [])
    }
}
