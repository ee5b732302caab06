// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Cordon",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "cordon", targets: ["cordon"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // Only what Swift cannot express: variadic syscalls, missing kernel constants, the pre-exec child.
        .target(name: "CCordonLinux"),
        // Typed Swift over the shim (the supervisor's terminal relay and control socket call a few
        // shim functions directly).
        .target(
            name: "LinuxSystem",
            dependencies: ["CCordonLinux", .product(name: "SystemPackage", package: "swift-system")]
        ),
        // Capabilities, protections, Profile -> LaunchPlan, seccomp assembler. Pure: no I/O.
        .target(name: "SandboxPolicy"),
        // Executes a LaunchPlan and reports what was enforced.
        .target(
            name: "SandboxLauncher",
            dependencies: ["SandboxPolicy", "LinuxSystem", .product(name: "SystemPackage", package: "swift-system")]
        ),
        // The Rego engine. Pure Swift: no syscalls, no NIO.
        .target(
            name: "Rego",
            dependencies: [
                .product(name: "BigInt", package: "BigInt"),
                .product(name: "Yams", package: "Yams"),
            ],
            // Whole-module optimisation of this module takes over an hour and 8 GB in release;
            // file by file it takes minutes and the evaluator runs as fast.
            swiftSettings: [.unsafeFlags(["-no-whole-module-optimization"], .when(configuration: .release))]
        ),
        // The system zlib, for gzip bodies of the audit HTTP sink.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // Typed audit events, the hash-chained store, encodings and sinks.
        .target(
            name: "AuditLog",
            dependencies: [
                "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The egress proxy and host-service forwarders (SwiftNIO).
        .target(
            name: "EgressProxy",
            dependencies: [
                "SandboxPolicy",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // One session: wiring, pty relay, signals, control socket.
        .target(
            name: "Supervisor",
            dependencies: [
                "SandboxLauncher", "SandboxPolicy", "AuditLog", "EgressProxy", "LinuxSystem", "CCordonLinux",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The command line: one file per subcommand.
        .executableTarget(
            name: "cordon",
            dependencies: [
                "Supervisor", "Rego", "AuditLog", "SandboxPolicy", "SandboxLauncher",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The toolchain exports every symbol of the executable (about 20,000); the loader
            // then searches that table at every start, about 1 ms of `cordon run`. Nothing
            // looks symbols up in the executable at run time.
            linkerSettings: [.unsafeFlags(["-Xlinker", "--no-export-dynamic"])]
        ),
        // Audit log throughput: run on demand in release mode, never as a test.
        .executableTarget(name: "AuditBench", dependencies: ["AuditLog"], path: "Benchmarks/AuditBench"),
        // Egress proxy against a direct connection and tinyproxy; run on demand, not a test.
        .executableTarget(
            name: "cordon-bench-proxy",
            dependencies: [
                "EgressProxy", "SandboxPolicy",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/cordon-bench-proxy"
        ),
        .testTarget(name: "RegoTests", dependencies: ["Rego"]),
        .testTarget(name: "RegoConformanceTests", dependencies: ["Rego", "Yams"]),
        .testTarget(name: "SandboxPolicyTests", dependencies: ["SandboxPolicy"]),
        .testTarget(name: "SandboxLauncherTests", dependencies: ["SandboxLauncher", "SandboxPolicy", "LinuxSystem", "CCordonLinux"]),
        .testTarget(name: "AuditLogTests", dependencies: ["AuditLog", "CZlib"]),
        .testTarget(name: "EgressProxyTests", dependencies: ["EgressProxy"]),
        .testTarget(name: "SupervisorControlTests", dependencies: ["Supervisor"]),
        .testTarget(name: "CordonCLITests", dependencies: ["cordon"]),
        // Escape probes (Tests/Probes: the C probe and its cases as data) and functional runs of `cordon run`.
        .testTarget(name: "SandboxEscapeTests", dependencies: ["SandboxPolicy"]),
    ]
)
