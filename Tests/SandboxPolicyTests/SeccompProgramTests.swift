import Testing
@testable import SandboxPolicy

@Suite struct SeccompProgramTests {
    let program = try! CordonSeccompPolicy.filter.compile()

    func verdict(_ data: BPFInterpreter.Data) throws -> SeccompAction {
        try BPFInterpreter.run(program, data)
    }

    @Test func ordinaryCallsAreAllowed() throws {
        for name in ["read", "write", "openat", "execve", "mmap", "futex", "exit_group", "landlock_create_ruleset", "seccomp", "fork", "vfork", "wait4"] {
            #expect(try verdict(.init(name)) == .allow, "\(name)")
        }
    }

    @Test func everyListedCallIsAllowedAndEveryDeniedOneRefused() throws {
        for name in CordonSeccompPolicy.allowed {
            #expect(try verdict(.init(name)) == .allow, "\(name)")
        }
        let denied = CordonSeccompPolicy.denied.flatMap(\.names)
        #expect(Set(denied).isDisjoint(with: CordonSeccompPolicy.allowed))
        for name in denied {
            #expect(try verdict(.init(name)) == .errno(Errno.EPERM), "\(name)")
        }
        for name in ["ptrace", "process_vm_readv", "pidfd_getfd", "io_uring_setup", "bpf", "perf_event_open", "keyctl", "add_key",
                     "request_key", "mount", "fsopen", "unshare", "setns", "open_by_handle_at", "kexec_load", "init_module", "userfaultfd"] {
            #expect(denied.contains(name), "\(name) must be on the documented deny list")
        }
    }

    @Test func otherArchitecturesAndX32AreKilled() throws {
        // i386 int 0x80 arrives with AUDIT_ARCH_I386; x32 with the 0x40000000 bit.
        #expect(try verdict(.init(number: 11, architecture: 0x4000_0003)) == .killProcess)
        #expect(try verdict(.init(number: 0x4000_0000 | 0)) == .killProcess)
        #expect(try verdict(.init(number: 0x4000_0000 | 101)) == .killProcess)
    }

    @Test func newerAndUnknownNumbersFailWithENOSYS() throws {
        #expect(try verdict(.init("clone3")) == .errno(Errno.ENOSYS))
        #expect(try verdict(.init(number: SyscallTable.highestNumber + 1)) == .errno(Errno.ENOSYS))
        #expect(try verdict(.init(number: 1000)) == .errno(Errno.ENOSYS))
        #expect(try verdict(.init(number: 400)) == .errno(Errno.ENOSYS))  // a gap in the x86_64 table
    }

    @Test func cloneWithNamespaceFlagsIsRefused() throws {
        let threadFlags: UInt64 = 0x003d_0f00  // CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|PARENT_SETTID|CHILD_CLEARTID
        #expect(try verdict(.init("clone", threadFlags)) == .allow)
        #expect(try verdict(.init("clone", 17)) == .allow)  // fork: SIGCHLD
        for flag: UInt64 in [0x0002_0000, 0x0200_0000, 0x0400_0000, 0x0800_0000, 0x1000_0000, 0x2000_0000, 0x4000_0000] {
            #expect(try verdict(.init("clone", 17 | flag)) == .errno(Errno.EPERM), "flag \(flag)")
        }
    }

    @Test func terminalInjectionIoctlsAreRefusedWhateverTheHighBits() throws {
        #expect(try verdict(.init("ioctl", 0, 0x5401)) == .allow)  // TCGETS
        #expect(try verdict(.init("ioctl", 0, 0x5414)) == .allow)  // TIOCSWINSZ
        for request: UInt64 in [0x5412, 0x541C, 0x1_0000_5412, 0xffff_ffff_0000_541C] {
            #expect(try verdict(.init("ioctl", 0, request)) == .errno(Errno.EPERM), "request \(request)")
        }
    }

    @Test func socketFamiliesOutsideTheListAreRefused() throws {
        for family: UInt64 in [1, 2, 10, 0x1_0000_0002] { #expect(try verdict(.init("socket", family, 1, 0)) == .allow, "\(family)") }
        #expect(try verdict(.init("socket", 16, 3, 0)) == .allow)  // NETLINK_ROUTE
        #expect(try verdict(.init("socket", 16, 3, 9)) == .errno(Errno.EAFNOSUPPORT))  // NETLINK_AUDIT
        for family: UInt64 in [17, 40, 5, 38, 0] {  // packet, vsock, appletalk, alg, unspec
            #expect(try verdict(.init("socket", family, 1, 0)) == .errno(Errno.EAFNOSUPPORT), "\(family)")
        }
        #expect(try verdict(.init("socketpair", 1, 1, 0)) == .allow)
        #expect(try verdict(.init("socketpair", 2, 1, 0)) == .errno(Errno.EAFNOSUPPORT))
    }

    @Test func personalityOnlySelectsLinux() throws {
        #expect(try verdict(.init("personality", 0xffff_ffff)) == .allow)
        #expect(try verdict(.init("personality", 0)) == .allow)
        #expect(try verdict(.init("personality", 0x0040_0000)) == .errno(Errno.EPERM))  // READ_IMPLIES_EXEC
    }

    @Test func sixtyFourBitComparisonsMatchSwift() throws {
        let pivots: [UInt64] = [0, 1, 0xffff_ffff, 0x1_0000_0000, 0x1_0000_0005, 0xffff_ffff_ffff_fffe]
        let samples: [UInt64] = pivots + [2, 0x7fff_ffff, 0x1_0000_0004, 0x2_0000_0000, .max]
        let ops: [(ArgumentCondition.Operator, (UInt64, UInt64) -> Bool)] = [
            (.equal, ==), (.notEqual, !=), (.less, <), (.lessOrEqual, <=), (.greater, >), (.greaterOrEqual, >=),
        ]
        for pivot in pivots {
            for (op, swift) in ops {
                let filter = SeccompFilter(name: "t", defaultAction: .errno(1), unknownNumberAction: .errno(38), rules: [
                    SeccompRule("read", .allow, when: [ArgumentCondition(index: 2, op, pivot)]),
                ])
                let compiled = try filter.compile()
                for sample in samples {
                    let expected: SeccompAction = swift(sample, pivot) ? .allow : .errno(1)
                    #expect(try BPFInterpreter.run(compiled, .init("read", 0, 0, sample)) == expected, "\(sample) \(op) \(pivot)")
                }
            }
        }
        let masked = try SeccompFilter(name: "t", defaultAction: .errno(1), unknownNumberAction: .errno(38), rules: [
            SeccompRule("read", .allow, when: [ArgumentCondition(index: 0, .maskedEqual, 0x1_0000_0002, mask: 0xf_0000_000f)]),
        ]).compile()
        #expect(try BPFInterpreter.run(masked, .init("read", 0xa1_0000_00f2)) == .allow)
        #expect(try BPFInterpreter.run(masked, .init("read", 0xa2_0000_00f2)) == .errno(1))
    }

    @Test func programIsSmallAndListable() {
        #expect(program.instructions.count < 600)
        let listing = program.listing
        #expect(listing.hasPrefix("# cordon allow-list"))
        #expect(listing.contains("ret kill-process"))
        #expect(listing.contains("ret errno ENOSYS"))
        #expect(listing.split(separator: "\n").count == program.instructions.count + 1)
    }

    @Test func unknownNamesInAFilterAreErrors() {
        let filter = SeccompFilter(name: "t", defaultAction: .allow, unknownNumberAction: .allow, rules: [SeccompRule("no_such_call", .allow)])
        #expect(throws: CapabilityError.self) { try filter.compile() }
    }
}
