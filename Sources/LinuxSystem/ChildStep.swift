/// The steps of a launch, mirroring `enum cordon_step` in `cordon_linux.h` value for value:
/// the child reports the step it failed at over its error pipe.
public enum ChildStep: Int32, Sendable, Equatable, CaseIterable {
    case none = 0
    case pipe = 1
    case clone = 2
    case setgroups = 3
    case uidMap = 4
    case gidMap = 5
    case cgroupJoin = 6
    case sync = 7
    case parentDeathSignal = 8
    case mountPrivate = 9
    case stagingTmpfs = 10
    case stagingPivot = 11
    case rootTmpfs = 12
    case mountMkdir = 13
    case mountCreate = 14
    case mount = 15
    case mountAttributes = 16
    case procProtect = 17
    case pivotRoot = 18
    case detachOldRoot = 19
    case workingDirectory = 20
    case hostname = 21
    case loopback = 22
    case listener = 23
    case terminal = 24
    case sendDescriptors = 25
    case rlimit = 26
    case capabilityBounding = 27
    case capabilityAmbient = 28
    case noNewPrivs = 29
    case dumpable = 30
    case landlockRuleset = 31
    case landlockPath = 32
    case landlockPort = 33
    case landlockRestrict = 34
    case capabilities = 35
    case fork = 36
    case session = 37
    case controllingTerminal = 38
    case standardStreams = 39
    case closeDescriptors = 40
    case seccomp = 41
    case exec = 42
    case localPortRange = 43
}
