#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CCordonLinux
import SystemPackage

/// A `cordon_launch_spec` and every C array and string it points to, laid out in one mapping
/// shared with the child (the child cannot allocate). The child is cloned from this process, so
/// the mapping sits at the same address in both. The mapping holds two specs, each in a half of
/// its own: the one the child was cloned with, whose base mounts it applies at once, and the
/// whole one written meanwhile, whose address `cordon_spawn_go` hands the child. The supervisor
/// writes them and never reads back what is in them.
final class FlattenedSpecification {
    /// Address space reserved for two specs; pages are used only as written.
    static let capacity = 64 << 20

    private let base: UnsafeMutableRawPointer
    /// The half `spec` is in.
    private var half = 0
    private var used = 0
    /// The spec last written, at the start of its half.
    var spec: UnsafeMutablePointer<cordon_launch_spec> { (base + half * Self.capacity / 2).assumingMemoryBound(to: cordon_launch_spec.self) }

    init() throws(LinuxSystemError) {
        let mapping = mmap(nil, Self.capacity, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let mapping, mapping != MAP_FAILED else {
            throw LinuxSystemError(operation: "map memory for the launch specification", errno: Errno(rawValue: errno))
        }
        base = mapping
        base.initializeMemory(as: cordon_launch_spec.self, repeating: cordon_launch_spec(), count: 1)
    }

    deinit {
        munmap(base, Self.capacity)
    }

    /// Lays `s` out in the half the current spec is not in, and makes it the current spec; the
    /// one before stays as it was.
    func write(_ s: ChildSpecification) throws(LinuxSystemError) {
        half = 1 - half
        used = half * Self.capacity / 2 + MemoryLayout<cordon_launch_spec>.stride
        var spec = cordon_launch_spec()
        spec.namespaces = s.namespaces
        spec.layers = s.layers
        spec.inside_uid = s.insideUID
        spec.outside_uid = s.outsideUID
        spec.inside_gid = s.insideGID
        spec.outside_gid = s.outsideGID
        spec.argv = UnsafePointer(try stringArray(s.argv))
        spec.envp = UnsafePointer(try stringArray(s.environment))
        if let path = s.searchPath { spec.search_path = try string(path) }
        if let directory = s.workingDirectory { spec.working_directory = try string(directory) }
        if let hostname = s.hostname { spec.hostname = try string(hostname) }
        spec.staging_base = try string(s.stagingBase)
        if let range = s.localPortRange {
            spec.local_port_first = range.lowerBound
            spec.local_port_last = range.upperBound
        }

        let mounts = try array(of: cordon_mount_op.self, count: s.mounts.count)
        for (i, step) in s.mounts.enumerated() { mounts[i] = try mountOp(step) }
        spec.mounts = UnsafePointer(mounts)
        spec.mount_count = s.mounts.count
        spec.base_mount_count = min(s.baseMountCount, s.mounts.count)

        if let landlock = s.landlock {
            spec.landlock_enabled = 1
            spec.landlock_abi = Int32(landlock.abi)
            spec.landlock_handled_fs = landlock.handledFilesystem
            spec.landlock_handled_net = landlock.handledNetwork
            spec.landlock_scopes = landlock.scopes
            let paths = try array(of: cordon_landlock_path_rule.self, count: landlock.pathRules.count)
            for (i, rule) in landlock.pathRules.enumerated() {
                paths[i] = cordon_landlock_path_rule(path: try string(rule.path), access: rule.access)
            }
            spec.landlock_paths = UnsafePointer(paths)
            spec.landlock_path_count = landlock.pathRules.count
            let ports = try array(of: cordon_landlock_port_rule.self, count: landlock.portRules.count)
            for (i, rule) in landlock.portRules.enumerated() {
                ports[i] = cordon_landlock_port_rule(port: UInt64(rule.port), access: rule.access)
            }
            spec.landlock_ports = UnsafePointer(ports)
            spec.landlock_port_count = landlock.portRules.count
        }

        let programs = try array(of: cordon_seccomp_program.self, count: s.seccomp.count)
        for (i, program) in s.seccomp.enumerated() {
            guard program.count <= Int(UInt16.max) else {
                throw LinuxSystemError(operation: "seccomp program \(i) has \(program.count) instructions", errno: .invalidArgument)
            }
            let instructions = try array(of: cordon_bpf_instruction.self, count: program.count)
            for (j, instruction) in program.enumerated() {
                instructions[j] = cordon_bpf_instruction(code: instruction.code, jt: instruction.jt, jf: instruction.jf, k: instruction.k)
            }
            programs[i] = cordon_seccomp_program(instructions: UnsafePointer(instructions), count: UInt16(program.count))
        }
        spec.seccomp = UnsafePointer(programs)
        spec.seccomp_count = s.seccomp.count

        let limits = try array(of: cordon_rlimit.self, count: s.resourceLimits.count)
        for (i, limit) in s.resourceLimits.enumerated() {
            limits[i] = cordon_rlimit(resource: limit.resource, soft: limit.soft, hard: limit.hard)
        }
        spec.rlimits = UnsafePointer(limits)
        spec.rlimit_count = s.resourceLimits.count

        if let ptmx = s.pseudoTerminal {
            spec.pseudo_terminal = 1
            spec.ptmx_path = try string(ptmx)
            spec.terminal_streams = s.terminalStreams
            if let size = s.terminalSize {
                spec.terminal_rows = size.rows
                spec.terminal_columns = size.columns
                spec.terminal_x_pixels = size.xPixels
                spec.terminal_y_pixels = size.yPixels
            }
        }

        let listeners = try array(of: cordon_listener.self, count: s.listeners.count)
        for (i, listener) in s.listeners.enumerated() { listeners[i] = try Self.socketAddress(listener) }
        spec.listeners = UnsafePointer(listeners)
        spec.listener_count = s.listeners.count

        spec.cgroup_procs = UnsafePointer(try stringArray(s.cgroupProcessFiles))
        spec.cgroup_procs_count = s.cgroupProcessFiles.count
        spec.cgroup_enter_tasks = UnsafePointer(try stringArray(s.cgroupThreadMoves.map(\.enter)))
        spec.cgroup_leave_tasks = UnsafePointer(try stringArray(s.cgroupThreadMoves.map(\.leave)))
        spec.cgroup_tasks_count = s.cgroupThreadMoves.count
        self.spec.pointee = spec
    }

    private func string(_ text: String) throws(LinuxSystemError) -> UnsafePointer<CChar> {
        let copy = try array(of: CChar.self, count: text.utf8.count + 1)
        for (i, byte) in text.utf8.enumerated() { copy[i] = CChar(bitPattern: byte) }
        return UnsafePointer(copy)
    }

    /// `count` zeroed elements, aligned for `T`.
    private func array<T>(of type: T.Type, count: Int) throws(LinuxSystemError) -> UnsafeMutablePointer<T> {
        let alignment = max(MemoryLayout<T>.alignment, 8)
        let start = (used + alignment - 1) / alignment * alignment
        let size = max(count, 1) * MemoryLayout<T>.stride
        guard start + size <= (half + 1) * Self.capacity / 2 else {
            throw LinuxSystemError(operation: "lay out the launch specification in \(Self.capacity >> 21) MiB", errno: .noMemory)
        }
        used = start + size
        let raw = base + start
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        return raw.bindMemory(to: T.self, capacity: max(count, 1))
    }

    /// A NULL-terminated `char *[]`.
    private func stringArray(_ strings: [String]) throws(LinuxSystemError) -> UnsafeMutablePointer<UnsafePointer<CChar>?> {
        let result = try array(of: UnsafePointer<CChar>?.self, count: strings.count + 1)
        for (i, text) in strings.enumerated() { result[i] = try string(text) }
        result[strings.count] = nil
        return result
    }

    private func bytes(_ contents: [UInt8]) throws(LinuxSystemError) -> UnsafePointer<CChar> {
        let buffer = try array(of: CChar.self, count: contents.count)
        contents.withUnsafeBytes { UnsafeMutableRawPointer(buffer).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        return UnsafePointer(buffer)
    }

    private func mountOp(_ step: ChildMount) throws(LinuxSystemError) -> cordon_mount_op {
        var op = cordon_mount_op()
        switch step {
        case .tmpfs(let target, let options):
            op.kind = Int32(CORDON_MOUNT_TMPFS.rawValue)
            op.target = try string(target)
            op.source = try string(options)
        case .directory(let target, let mode):
            op.kind = Int32(CORDON_MOUNT_DIRECTORY.rawValue)
            op.target = try string(target)
            op.mode = mode
        case .file(let target, let contents, let mode):
            op.kind = Int32(CORDON_MOUNT_FILE.rawValue)
            op.target = try string(target)
            op.contents = contents.isEmpty ? nil : try bytes(contents)
            op.contents_length = contents.count
            op.mode = mode
        case .symlink(let target, let destination):
            op.kind = Int32(CORDON_MOUNT_SYMLINK.rawValue)
            op.target = try string(target)
            op.source = try string(destination)
        case .bind(let source, let target, let writable, let executable):
            op.kind = Int32(CORDON_MOUNT_BIND.rawValue)
            op.source = try string(source)
            op.target = try string(target)
            op.flags = (writable ? UInt32(CORDON_MOUNT_WRITABLE) : 0)
                | (executable ? UInt32(CORDON_MOUNT_EXECUTABLE) : 0)
        case .device(let source, let target):
            op.kind = Int32(CORDON_MOUNT_DEVICE.rawValue)
            op.source = try string(source)
            op.target = try string(target)
        case .proc(let target):
            op.kind = Int32(CORDON_MOUNT_PROC.rawValue)
            op.target = try string(target)
        case .devpts(let target, let link, let destination):
            op.kind = Int32(CORDON_MOUNT_DEVPTS.rawValue)
            op.target = try string(target)
            op.source = try string(link)
            op.contents = try string(destination)
        case .mask(let target):
            op.kind = Int32(CORDON_MOUNT_MASK.rawValue)
            op.target = try string(target)
        case .remountReadOnly(let target):
            op.kind = Int32(CORDON_MOUNT_REMOUNT_READ_ONLY.rawValue)
            op.target = try string(target)
        }
        return op
    }

    private static func socketAddress(_ listener: ChildListener) throws(LinuxSystemError) -> cordon_listener {
        var result = cordon_listener()
        var ok = false
        withUnsafeMutableBytes(of: &result.address) { storage in
            if listener.address.contains(":") {
                var address = sockaddr_in6()
                address.sin6_family = sa_family_t(AF_INET6)
                address.sin6_port = listener.port.bigEndian
                ok = inet_pton(AF_INET6, listener.address, &address.sin6_addr) == 1
                withUnsafeBytes(of: &address) { storage.copyMemory(from: $0) }
            } else {
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = listener.port.bigEndian
                ok = inet_pton(AF_INET, listener.address, &address.sin_addr) == 1
                withUnsafeBytes(of: &address) { storage.copyMemory(from: $0) }
            }
        }
        guard ok else {
            throw LinuxSystemError(operation: "parse listener address", path: listener.address, errno: .invalidArgument)
        }
        result.address_length = socklen_t(
            listener.address.contains(":") ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
        return result
    }
}
