#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CCordonLinux
import SystemPackage

/// A sandbox child: its host pid, a pidfd to signal it, the descriptors it sent back, and the
/// thread that cloned it, which waits for it. `PR_SET_PDEATHSIG` fires when the cloning thread
/// exits, so that thread lives exactly as long as the child.
///
/// A spawned child holds its program until `release()`: what the supervisor serves the sandbox
/// is readied meanwhile, while the child builds and confines itself on the other core.
public final class SandboxChild: @unchecked Sendable {
    /// Host pid of the sandbox's first process.
    public let pid: Int32
    /// Descriptors the child sent, in order (pty master first when there is one, then listeners).
    public let descriptors: [FileDescriptor]
    private let pidfd: Int32
    private let state: SpawnState
    /// The child's failure reports until `release()` read them to the end.
    private var errorPipe: Int32

    private init(pid: Int32, pidfd: Int32, errorPipe: Int32, descriptors: [FileDescriptor], state: SpawnState) {
        self.pid = pid
        self.pidfd = pidfd
        self.errorPipe = errorPipe
        self.descriptors = descriptors
        self.state = state
    }

    deinit {
        close(pidfd)
        if errorPipe >= 0 { close(errorPipe) }
    }

    /// Clones a child that applies `specification`; returns once the child is in its cgroups and
    /// sent its descriptors, and holds its program until `release()`. `expectedDescriptors` is
    /// how many descriptors the child sends back. `meanwhile` runs on this thread while the
    /// child sets itself up and joins its cgroups (when the clone failed, it does not run).
    /// `onExit` runs on the waiting thread after the child was reaped (cgroup cleanup).
    public static func spawn(
        _ specification: ChildSpecification, expectedDescriptors: Int, meanwhile: () -> Void = {},
        onExit: @escaping @Sendable () -> Void
    ) throws(LinuxSystemError) -> SandboxChild {
        let flattened: FlattenedSpecification
        do {
            flattened = try FlattenedSpecification(specification)
        } catch {
            onExit()
            throw error
        }
        let state = SpawnState(flattened: flattened, expectedDescriptors: expectedDescriptors, onExit: onExit)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(state).toOpaque()
        let rc = pthread_create(&thread, nil, { context in
            Unmanaged<SpawnState>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context)
        if rc != 0 {
            Unmanaged<SpawnState>.fromOpaque(context).release()
            onExit()
            throw LinuxSystemError(operation: "pthread_create", errno: Errno(rawValue: rc))
        }
        pthread_detach(thread)
        state.cloned.wait()
        if state.clonedChild { meanwhile() }
        state.started.wait()
        let result = state.result
        if let failure = Self.failure(result) { throw failure }
        if let failure = state.descriptorError {
            // A child that failed before it sent them explains more.
            var held = state.result
            cordon_spawn_abandon(&held)
            throw Self.failure(held) ?? failure
        }
        return SandboxChild(pid: result.pid, pidfd: result.pidfd, errorPipe: result.error_pipe, descriptors: state.descriptors, state: state)
    }

    /// Lets the program start; returns once it was exec'd, or throws the step that failed in the
    /// child (which is then killed). Call it once.
    public func release() throws(LinuxSystemError) {
        var held = state.result
        held.error_pipe = errorPipe
        errorPipe = -1
        if cordon_spawn_release(&held) != 0 { throw Self.failure(held) ?? LinuxSystemError(operation: "launch", errno: .protocolError) }
    }

    private static func failure(_ result: cordon_spawn_result) -> LinuxSystemError? {
        guard result.step != Int32(CORDON_STEP_NONE.rawValue) else { return nil }
        return LinuxSystemError(
            operation: "launch", errno: Errno(rawValue: result.error), step: ChildStep(rawValue: result.step),
            index: result.index >= 0 ? Int(result.index) : nil)
    }

    /// Blocks until the program exits; returns its raw wait status as the sandbox's first process
    /// reported it, or that process's own status when it died first (killed from outside).
    public func waitForExit() -> Int32 {
        state.exited.wait()
        return state.waitStatus
    }

    /// Sends `signal` to the sandbox's first process, which passes it on to the program
    /// (SIGKILL ends the whole sandbox).
    public func signal(_ signal: Int32) throws(LinuxSystemError) {
        let rc = cordon_pidfd_send_signal(pidfd, signal)
        if rc != 0 {
            throw LinuxSystemError(operation: "pidfd_send_signal(\(signal)) to pid \(pid)", errno: Errno(rawValue: -rc))
        }
    }
}

/// What the spawning thread shares with the caller.
private final class SpawnState: @unchecked Sendable {
    let flattened: FlattenedSpecification
    let expectedDescriptors: Int
    let onExit: @Sendable () -> Void
    let cloned = Latch()
    let started = Latch()
    let exited = Latch()
    // Written by the spawning thread before `cloned`, `started` or `exited` opens, read after.
    var clonedChild = false
    var result = cordon_spawn_result()
    var descriptors: [FileDescriptor] = []
    var descriptorError: LinuxSystemError?
    var waitStatus: Int32 = 0

    init(flattened: FlattenedSpecification, expectedDescriptors: Int, onExit: @escaping @Sendable () -> Void) {
        self.flattened = flattened
        self.expectedDescriptors = expectedDescriptors
        self.onExit = onExit
    }

    func run() {
        var spec = flattened.spec
        clonedChild = cordon_spawn(&spec, &result) == 0
        cloned.open()
        if !clonedChild || cordon_spawn_join(&spec, &result) != 0 {
            started.open()
            onExit()
            return
        }
        // The child sends these before it waits for the release.
        if expectedDescriptors > 0 {
            var fds = [Int32](repeating: -1, count: expectedDescriptors)
            let count = cordon_receive_descriptors(result.channel, &fds, Int32(expectedDescriptors))
            if count == Int32(expectedDescriptors) {
                descriptors = fds.map { FileDescriptor(rawValue: $0) }
            } else {
                let error = count < 0 ? Errno(rawValue: errno) : .protocolError
                for fd in fds.prefix(max(Int(count), 0)) { close(fd) }
                descriptorError = LinuxSystemError(operation: "receive descriptors from the sandbox", errno: error, step: .sendDescriptors)
                _ = cordon_pidfd_send_signal(result.pidfd, SIGKILL)
            }
        }
        started.open()
        var status: Int32 = 0
        while waitpid(result.pid, &status, 0) < 0 && errno == EINTR {}
        var reported: Int32 = 0
        waitStatus = cordon_receive_wait_status(result.channel, &reported) == 0 ? reported : status
        close(result.channel)
        // Cleanup first, so that whoever waited finds the session's cgroups gone.
        onExit()
        exited.open()
    }
}

/// A one-shot gate: `wait` blocks until `open` was called.
private final class Latch: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var opened = false

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    func open() {
        pthread_mutex_lock(mutex)
        opened = true
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    func wait() {
        pthread_mutex_lock(mutex)
        while !opened { pthread_cond_wait(condition, mutex) }
        pthread_mutex_unlock(mutex)
    }
}
