#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CCordonLinux
import SystemPackage

/// A sandbox child cloned before the rest of its specification exists: in its namespaces, with
/// its user and group ids mapped and born in its v1 cgroups, it mounts the base of its view and
/// waits. `start` hands it the whole specification. The namespaces' creation (a millisecond and
/// more for a network namespace) and the base mounts so run while the supervisor is still
/// compiling the plan. Dropped without `start`, it is killed before it ran the program.
public final class PendingSandboxChild: @unchecked Sendable {
    private let state: SpawnState
    /// What the clone was made from; `start` must be given the same.
    private let shape: ChildSpecification
    private var startCalled = false

    private init(state: SpawnState, shape: ChildSpecification) {
        self.state = state
        self.shape = shape
    }

    deinit {
        if !startCalled { abandon() }
    }

    /// Clones a child from the parts of `shape` a clone needs: its namespaces, its id mapping,
    /// its layers, its cgroup thread moves and its base mounts, which it applies at once. The
    /// calling thread, one started for that alone, becomes the child's parent: `whenCloned` gets
    /// the pending child (or why there is none) as soon as the clone is done, and this returns
    /// once the child is gone and `onExit` (cgroup cleanup) has run, also when the clone failed.
    /// The sandbox dies with this thread (PR_SET_PDEATHSIG).
    public static func cloneOnThisThread(
        _ shape: ChildSpecification, onExit: @escaping @Sendable () -> Void,
        whenCloned: (Result<PendingSandboxChild, LinuxSystemError>) -> Void
    ) {
        let state: SpawnState
        do {
            let flattened = try FlattenedSpecification()
            try flattened.write(shape)
            state = try SpawnState(flattened: flattened, onExit: onExit)
        } catch {
            onExit()
            return whenCloned(.failure(error))
        }
        state.run {
            guard state.clonedChild else {
                return whenCloned(.failure(SandboxChild.failure(state.result) ?? LinuxSystemError(operation: "clone the sandbox", errno: .protocolError)))
            }
            whenCloned(.success(PendingSandboxChild(state: state, shape: shape)))
        }
    }

    /// Host pid of the child.
    public var pid: Int32 { state.result.pid }

    /// True when `specification` starts as this child was cloned: the same namespaces, ids,
    /// layers and cgroups, and the base mounts the child has applied already.
    private func fits(_ specification: ChildSpecification) -> Bool {
        specification.namespaces == shape.namespaces && specification.layers == shape.layers
            && specification.baseMountCount == shape.baseMountCount
            && specification.mounts.prefix(shape.baseMountCount).elementsEqual(shape.mounts.prefix(shape.baseMountCount))
            && (specification.insideUID, specification.outsideUID, specification.insideGID, specification.outsideGID)
                == (shape.insideUID, shape.outsideUID, shape.insideGID, shape.outsideGID)
            && specification.cgroupThreadMoves.map(\.enter) == shape.cgroupThreadMoves.map(\.enter)
            && specification.cgroupThreadMoves.map(\.leave) == shape.cgroupThreadMoves.map(\.leave)
    }

    /// Hands the child `specification` (which must `fit`) and returns once it sent its
    /// descriptors and joined its cgroups, holding its program until `SandboxChild.release()`.
    /// `expectedDescriptors` is how many descriptors it sends back; `meanwhile` runs on this
    /// thread while it sets itself up. Call it once; on failure the child is gone.
    public func start(_ specification: ChildSpecification, expectedDescriptors: Int, meanwhile: () -> Void = {}) throws(LinuxSystemError) -> SandboxChild {
        precondition(!startCalled, "a pending sandbox child starts once")
        startCalled = true
        guard fits(specification) else {
            abandon()
            throw LinuxSystemError(operation: "start a sandbox cloned with other namespaces, ids, layers, cgroups or base mounts", errno: .invalidArgument)
        }
        do {
            try state.flattened.write(specification)
        } catch {
            abandon()
            throw error
        }
        state.expectedDescriptors = expectedDescriptors
        state.go.open()
        meanwhile()
        state.started.wait()
        let result = state.result
        if let failure = SandboxChild.failure(result) { throw failure }
        if let failure = state.descriptorError {
            // A child that failed before it sent them explains more.
            var held = state.result
            cordon_spawn_abandon(&held)
            throw SandboxChild.failure(held) ?? failure
        }
        return SandboxChild(started: state)
    }

    /// Kills the child, which ran nothing, and waits until it was reaped; for a child that will
    /// not be started.
    public func discard() {
        guard !startCalled else { return }
        startCalled = true
        abandon()
    }

    /// Kills the child before it read its specification, and waits until it was reaped.
    private func abandon() {
        state.abandoned = true
        state.go.open()
        state.started.wait()
    }
}
