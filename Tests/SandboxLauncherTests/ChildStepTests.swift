import CCordonLinux
import LinuxSystem
import Testing

/// The child reports the step it failed at by number: `ChildStep` must mirror `enum
/// cordon_step` value for value, or a failure would be explained as another step.
@Suite struct ChildStepTests {
    static let pairs: [(ChildStep, cordon_step)] = [
        (.none, CORDON_STEP_NONE),
        (.pipe, CORDON_STEP_PIPE),
        (.clone, CORDON_STEP_CLONE),
        (.setgroups, CORDON_STEP_SETGROUPS),
        (.uidMap, CORDON_STEP_UID_MAP),
        (.gidMap, CORDON_STEP_GID_MAP),
        (.cgroupJoin, CORDON_STEP_CGROUP_JOIN),
        (.sync, CORDON_STEP_SYNC),
        (.parentDeathSignal, CORDON_STEP_PARENT_DEATH_SIGNAL),
        (.mountPrivate, CORDON_STEP_MOUNT_PRIVATE),
        (.stagingTmpfs, CORDON_STEP_STAGING_TMPFS),
        (.stagingPivot, CORDON_STEP_STAGING_PIVOT),
        (.rootTmpfs, CORDON_STEP_ROOT_TMPFS),
        (.mountMkdir, CORDON_STEP_MOUNT_MKDIR),
        (.mountCreate, CORDON_STEP_MOUNT_CREATE),
        (.mount, CORDON_STEP_MOUNT),
        (.mountAttributes, CORDON_STEP_MOUNT_ATTRIBUTES),
        (.procProtect, CORDON_STEP_PROC_PROTECT),
        (.pivotRoot, CORDON_STEP_PIVOT_ROOT),
        (.detachOldRoot, CORDON_STEP_DETACH_OLD_ROOT),
        (.workingDirectory, CORDON_STEP_WORKING_DIRECTORY),
        (.hostname, CORDON_STEP_HOSTNAME),
        (.loopback, CORDON_STEP_LOOPBACK),
        (.listener, CORDON_STEP_LISTENER),
        (.terminal, CORDON_STEP_TERMINAL),
        (.sendDescriptors, CORDON_STEP_SEND_DESCRIPTORS),
        (.rlimit, CORDON_STEP_RLIMIT),
        (.capabilityBounding, CORDON_STEP_CAPABILITY_BOUNDING),
        (.capabilityAmbient, CORDON_STEP_CAPABILITY_AMBIENT),
        (.noNewPrivs, CORDON_STEP_NO_NEW_PRIVS),
        (.dumpable, CORDON_STEP_DUMPABLE),
        (.landlockRuleset, CORDON_STEP_LANDLOCK_RULESET),
        (.landlockPath, CORDON_STEP_LANDLOCK_PATH),
        (.landlockPort, CORDON_STEP_LANDLOCK_PORT),
        (.landlockRestrict, CORDON_STEP_LANDLOCK_RESTRICT),
        (.capabilities, CORDON_STEP_CAPABILITIES),
        (.fork, CORDON_STEP_FORK),
        (.session, CORDON_STEP_SESSION),
        (.controllingTerminal, CORDON_STEP_CONTROLLING_TERMINAL),
        (.standardStreams, CORDON_STEP_STANDARD_STREAMS),
        (.closeDescriptors, CORDON_STEP_CLOSE_DESCRIPTORS),
        (.seccomp, CORDON_STEP_SECCOMP),
        (.exec, CORDON_STEP_EXEC),
        (.localPortRange, CORDON_STEP_LOCAL_PORT_RANGE),
    ]

    @Test func everyStepMirrorsItsCValue() {
        #expect(Self.pairs.count == ChildStep.allCases.count)
        for (step, value) in Self.pairs {
            #expect(step.rawValue == Int32(value.rawValue), "\(step)")
        }
    }
}
