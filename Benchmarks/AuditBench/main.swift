// Measures the audit log's cost per record and sustained rates, and doubles as the child
// process the concurrency tests start (`AuditBench append ...`). Run in release mode:
//   swift build -c release --product AuditBench && .build/release/AuditBench
import AuditLog
import Foundation
import Logging

let logger = Logger(label: "cordon.audit.bench")

func sampleEvent(session: String, index: Int) -> AuditEvent {
    let denied = index % 5 == 0
    return AuditEvent(session: session, .decision(.init(
        source: .broker, decision: denied ? .deny : .allow,
        capability: "read-file:/home/user/project/src/file\(index % 1000).swift", operation: "open",
        path: "/home/user/project/src/file\(index % 1000).swift", pid: 4242, executable: "/usr/bin/python3",
        reason: denied ? "outside the project profile" : "granted by the project profile",
        rule: denied ? "data.cordon.broker.default_deny" : "data.cordon.broker.allow_project")))
}

func temporaryDirectory() -> String {
    var template = Array((NSTemporaryDirectory() + "/cordon-audit-bench-XXXXXX").utf8CString)
    return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
}

/// Wall-clock and CPU seconds (user + system, this process) spent in `body`. CPU time is the
/// cost per record whatever else the machine runs; wall time is the rate actually sustained.
func seconds(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
    func cpu() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
    let start = DispatchTime.now().uptimeNanoseconds
    let startCPU = cpu()
    try body()
    return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, cpu() - startCPU)
}

/// The child mode the concurrency tests use: append `count` records in batches of `batch`.
func appendMode(_ arguments: [String]) throws {
    var options: [String: String] = [:]
    var index = 0
    while index + 1 < arguments.count {
        options[arguments[index]] = arguments[index + 1]
        index += 2
    }
    guard let directory = options["--dir"], let count = options["--count"].flatMap(Int.init) else {
        FileHandle.standardError.write(Data("usage: AuditBench append --dir D --count N [--session S] [--batch B]\n".utf8))
        exit(2)
    }
    let session = options["--session"] ?? "child-\(getpid())"
    let batch = options["--batch"].flatMap(Int.init) ?? 1
    let writer = try AuditWriter(
        configuration: .init(directory: AuditDirectory(path: directory), mode: .required,
                             maxFileBytes: options["--max-bytes"].flatMap(Int.init) ?? 64 << 20, sync: .never,
                             session: session),
        logger: logger)
    var written = 0
    while written < count {
        let events = (written..<min(count, written + batch)).map { sampleEvent(session: session, index: $0) }
        try writer.append(contentsOf: events)
        written += events.count
    }
    try writer.close()
}

func report(_ name: String, records: Int, time: (wall: Double, cpu: Double)) {
    let padded = name.padding(toLength: 52, withPad: " ", startingAt: 0)
    print(padded + String(format: " %9.0f rec/s wall %9.0f rec/s CPU  %6.2f µs CPU/record",
                          Double(records) / time.wall, Double(records) / time.cpu, time.cpu / Double(records) * 1e6))
}

func benchmark(records: Int) throws {
    print("audit log benchmark, \(records) records per run (release build expected)")
    print("load average: \((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.prefix(14) ?? "?")")
    let events = (0..<records).map { sampleEvent(session: "bench", index: $0) }
    let hashTime = seconds {
        for index in 0..<records { _ = AuditRecord.hash(line: Array("\(index) a typical 400-byte line".utf8)) }
    }
    report("SHA-256 of a short line (part of every record)", records: records, time: hashTime)

    let runs: [(String, AuditSyncPolicy, Int)] = [
        ("append 1 at a time, no fsync (buffered)", .never, 1),
        ("append 1 at a time, fsync every 1000 records", .everyRecords(1000), 1),
        ("append batches of 100, no fsync (buffered)", .never, 100),
        ("append batches of 100, fsync every 1000 records", .everyRecords(1000), 100),
        ("append batches of 1000, fsync every batch", .everyAppend, 1000),
    ]
    for (name, sync, batch) in runs {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = try AuditWriter(
            configuration: .init(directory: AuditDirectory(path: directory), sync: sync, session: "bench"), logger: logger)
        let time = try seconds {
            var index = 0
            while index < records {
                try writer.append(contentsOf: Array(events[index..<min(records, index + batch)]))
                index += batch
            }
            try writer.close()
        }
        report(name, records: records, time: time)
        let verification = try AuditVerifier.verify(path: directory)
        precondition(verification.ok && verification.records >= records, "the benchmark's log does not verify")
    }

    let fsyncRecords = min(records, 2000)
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let writer = try AuditWriter(
        configuration: .init(directory: AuditDirectory(path: directory), sync: .everyAppend, session: "bench"), logger: logger)
    let fsyncTime = try seconds {
        for event in events.prefix(fsyncRecords) { try writer.append(event) }
    }
    report("append 1 at a time, fsync every record (\(fsyncRecords))", records: fsyncRecords, time: fsyncTime)

    // A sink that never answers must not slow appends down: the forwarder only gets a wake-up.
    struct StalledSink: AuditSink {
        func deliver(_ records: [(record: AuditRecord, line: [UInt8])]) throws { sleep(3600) }
    }
    let stalledDirectory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: stalledDirectory) }
    let stalledWriter = try AuditWriter(
        configuration: .init(directory: AuditDirectory(path: stalledDirectory), sync: .never, session: "bench"),
        logger: logger)
    let forwarder = try AuditForwarder(directory: AuditDirectory(path: stalledDirectory), sink: StalledSink(),
                                       configuration: .init(name: "stalled"), logger: logger)
    stalledWriter.onAppend { forwarder.wake() }
    forwarder.start()
    let stalledTime = try seconds {
        for event in events { try stalledWriter.append(event) }
    }
    report("append 1 at a time, stalled sink attached", records: records, time: stalledTime)
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    if arguments.first == "append" {
        try appendMode(Array(arguments.dropFirst()))
    } else {
        let records = arguments.first.flatMap(Int.init) ?? 200_000
        try benchmark(records: records)
        exit(0)
    }
} catch {
    FileHandle.standardError.write(Data("AuditBench: \(error)\n".utf8))
    exit(1)
}
