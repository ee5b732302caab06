// Egress proxy benchmark: the same client work directly, through Cordon's proxy and through
// tinyproxy, in one run. Not a test: it prints a table.
//
//   swift run -c release cordon-bench-proxy [--bytes N] [--connections N] [--tunnels N]
import EgressProxy
import Foundation
import Logging
import NIOCore
import NIOPosix
import SandboxPolicy

#if canImport(Glibc)
import Glibc
#endif

var bulkBytes = 1 << 30
var latencyRounds = 1000
var tunnelCount = 1000
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let flag = arguments.next() {
    guard let value = arguments.next().flatMap(Int.init) else { fatalError("usage: --bytes N --connections N --tunnels N") }
    switch flag {
    case "--bytes": bulkBytes = value
    case "--connections": latencyRounds = value
    case "--tunnels": tunnelCount = value
    default: fatalError("unknown flag \(flag)")
    }
}

var limit = rlimit()
getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
limit.rlim_cur = limit.rlim_max
setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)

let originGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let origin = try startOrigin(group: originGroup)
let originPort = UInt16(origin.localAddress!.port!)

// Cordon: one event loop, as a supervisor on a small machine would run it; records go through
// the JSON-lines sink as in production.
let proxyGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let session = EgressSession(
    id: "bench", rules: EgressRules(allowed: [try NetworkEndpointPattern(parsing: "127.0.0.1:\(originPort)")]),
    resolver: SystemResolver(), sink: try JSONLinesRecordSink(path: "/dev/null"),
    limits: EgressLimits(maxConnections: tunnelCount + 64), logger: Logger(label: "bench"))
let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
var address = sockaddr_in()
address.sin_family = sa_family_t(AF_INET)
address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
_ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
listen(listener, 4096)
let server = try EgressProxyServer.start(session: session, listeningSockets: [listener], group: proxyGroup).wait()
let cordonPort = UInt16(server.localAddresses[0].port!)

// tinyproxy, when installed (apt-get install tinyproxy), with a configuration allowing the work.
var tinyproxy: Process?
var tinyproxyPort: UInt16?
if FileManager.default.isExecutableFile(atPath: "/usr/bin/tinyproxy") {
    let port = UInt16(20000 + Int(getpid() % 20000))
    let conf = FileManager.default.temporaryDirectory.appendingPathComponent("cordon-bench-tinyproxy-\(getpid()).conf")
    try """
    Port \(port)
    Listen 127.0.0.1
    Timeout 600
    MaxClients \(tunnelCount + 64)
    LogLevel Critical
    Allow 127.0.0.1
    DisableViaHeader Yes
    """.write(to: conf, atomically: true, encoding: .utf8)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/tinyproxy")
    p.arguments = ["-d", "-c", conf.path]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    for _ in 0..<100 {
        if let s = try? BenchSocket(port: port) {
            s.close()
            break
        }
        usleep(50_000)
    }
    tinyproxy = p
    tinyproxyPort = port
}

var routes: [Route] = [.direct, .proxy(name: "cordon", port: cordonPort)]
if let tinyproxyPort { routes.append(.proxy(name: "tinyproxy", port: tinyproxyPort)) }

// 1. One large transfer, three interleaved rounds, median.
var throughput: [String: [Double]] = [:]
for _ in 0..<3 {
    for route in routes {
        let t0 = now()
        let s = try BenchSocket.open(route, origin: originPort)
        s.send("BULK \(bulkBytes)\n")
        let got = s.drain()
        let t1 = now()
        s.close()
        guard got == bulkBytes else { fatalError("\(route.name): transfer got \(got) of \(bulkBytes) bytes") }
        throughput[route.name, default: []].append(Double(got) / (t1 - t0) / 1e6)
    }
}

// 2. Latency of a new connection: connect (and CONNECT), one echoed byte, close. Interleaved.
var latency: [String: [Double]] = [:]
for _ in 0..<latencyRounds {
    for route in routes {
        let t0 = now()
        let s = try BenchSocket.open(route, origin: originPort)
        s.send("ECHO\nx")
        guard s.readExactly(1) else { fatalError("\(route.name): echo failed") }
        let t1 = now()
        s.close()
        latency[route.name, default: []].append((t1 - t0) * 1e6)
    }
}

// 3. Concurrent tunnels held open, each used twice, then closed; descriptors counted before and after.
struct HoldResult {
    var held = 0
    var errors = 0
    var leaked = 0
}
@MainActor func holdTunnels(_ route: Route, descriptorsOf pid: Int32?) -> HoldResult {
    var result = HoldResult()
    usleep(300_000)
    let before = openDescriptors(pid: pid)
    var sockets: [BenchSocket] = []
    for _ in 0..<tunnelCount {
        guard let s = try? BenchSocket.open(route, origin: originPort) else {
            result.errors += 1
            continue
        }
        s.send("ECHO\np")
        if s.readExactly(1) { sockets.append(s) } else { result.errors += 1 }
    }
    for s in sockets {
        s.send("q")
        if s.readExactly(1) { result.held += 1 } else { result.errors += 1 }
    }
    for s in sockets { s.close() }
    var after = 0
    for _ in 0..<100 {
        usleep(100_000)
        after = openDescriptors(pid: pid)
        if after <= before { break }
    }
    result.leaked = after - before
    return result
}
var holding: [String: HoldResult] = [:]
holding["cordon"] = holdTunnels(.proxy(name: "cordon", port: cordonPort), descriptorsOf: nil)
if let tinyproxyPort, let tinyproxy {
    holding["tinyproxy"] = holdTunnels(.proxy(name: "tinyproxy", port: tinyproxyPort), descriptorsOf: tinyproxy.processIdentifier)
}

func fmt(_ x: Double, _ digits: Int = 0) -> String { String(format: "%.\(digits)f", x) }
let direct = median(throughput["direct"]!)
let directLatency = median(latency["direct"]!)
print("| route | throughput (MB/s, median of 3 x \(bulkBytes >> 20) MiB) | % of direct | new connection median (µs) | p99 (µs) | added median (µs) | \(tunnelCount) tunnels held | errors | leaked fds |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for route in routes {
    let t = median(throughput[route.name]!)
    let l = latency[route.name]!
    let h = holding[route.name]
    print(
        "| \(route.name) | \(fmt(t)) | \(fmt(100 * t / direct, 1)) | \(fmt(median(l))) | \(fmt(percentile(l, 0.99))) | "
            + "\(route.name == "direct" ? "-" : fmt(median(l) - directLatency)) | \(h.map { String($0.held) } ?? "-") | "
            + "\(h.map { String($0.errors) } ?? "-") | \(h.map { String($0.leaked) } ?? "-") |")
}
if tinyproxy == nil { print("tinyproxy not installed: apt-get install -y tinyproxy to compare") }

tinyproxy?.terminate()
try server.close().wait()
try origin.close().wait()
try proxyGroup.syncShutdownGracefully()
try originGroup.syncShutdownGracefully()
