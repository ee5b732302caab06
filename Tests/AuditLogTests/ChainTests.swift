import Foundation
import Testing

@testable import AuditLog

/// The chain holds across rotation, threads, processes, a killed writer and a large burst.
@Suite struct ChainTests {
    @Test func rotationBySizeKeepsTheChain() throws {
        let temporary = TemporaryDirectory()
        defer { temporary.cleanup() }
        let writer = try makeWriter(temporary.audit, maxFileBytes: 2_000)
        for index in 0..<60 { try writer.append(decisionEvent(index)) }
        try writer.close()
        let files = try temporary.audit.chainFiles()
        #expect(files.count > 3, "a 2 kB limit must rotate 60 records several times")
        let result = try AuditVerifier.verify(path: temporary.audit.path)
        #expect(result.ok, "\(String(describing: result.failure))")
        #expect(result.anchoredAtGenesis)
        // Every file after the first opens with the rotation record that names its predecessor.
        for (previous, file) in zip(files, files.dropFirst()) {
            let first = try AuditRecord.decode(line: Array(try lines(file.path)[0].utf8))
            guard case .logRotated(let rotated) = first.event.body else {
                Issue.record("\(file.path) does not start with audit.rotated")
                continue
            }
            #expect(previous.path.hasSuffix(rotated.previousFile))
            #expect(previous.range?.upperBound == rotated.previousLastSeq)
        }
        var decisions = 0
        try AuditLogReader.forEachRecord(path: temporary.audit.path) { if $0.event.kind == .decision { decisions += 1 } }
        #expect(decisions == 60)

        // A record dropped at a file boundary is still caught.
        let second = try lines(files[1].path)
        try writeLines(Array(second.dropFirst()), to: files[1].path)
        let broken = try AuditVerifier.verify(path: temporary.audit.path)
        #expect(broken.failure?.kind == .dropped)
        #expect(broken.failure?.file == files[1].path)
    }

    @Test func rotationByAgeKeepsTheChain() throws {
        let temporary = TemporaryDirectory()
        defer { temporary.cleanup() }
        let writer = try makeWriter(temporary.audit, maxAge: 0)
        for index in 0..<5 { try writer.append(decisionEvent(index)) }
        try writer.close()
        // With a zero age limit every append finds the active file due and rotates it.
        #expect(try temporary.audit.chainFiles().count == 5)
        let result = try AuditVerifier.verify(path: temporary.audit.path)
        #expect(result.ok)
        #expect(result.records == 9)
    }

    @Test func threadsWithSeparateWritersInterleaveWithoutBreakingTheChain() async throws {
        let temporary = TemporaryDirectory()
        defer { temporary.cleanup() }
        let directory = temporary.audit
        try await withThrowingTaskGroup(of: Void.self) { group in
            for session in 0..<4 {
                group.addTask {
                    let writer = try makeWriter(directory, maxFileBytes: 40_000, session: "t\(session)")
                    for index in 0..<250 { try writer.append(decisionEvent(index, session: "t\(session)")) }
                    try writer.close()
                }
            }
            try await group.waitForAll()
        }
        let result = try AuditVerifier.verify(path: directory.path)
        #expect(result.ok, "\(String(describing: result.failure))")
        var perSession: [String: Int] = [:]
        try AuditLogReader.forEachRecord(path: directory.path) {
            if $0.event.kind == .decision { perSession[$0.event.session, default: 0] += 1 }
        }
        #expect(perSession == ["t0": 250, "t1": 250, "t2": 250, "t3": 250])
    }

    @Test func processesAppendingToOneDirectoryInterleaveWithoutBreakingTheChain() throws {
        let executable = try #require(benchExecutable(), "AuditBench is built with the tests (swift build --build-tests)")
        let temporary = TemporaryDirectory()
        defer { temporary.cleanup() }
        try temporary.audit.create()
        let children = try (0..<4).map { index in
            try runChild(executable, ["append", "--dir", temporary.audit.path, "--count", "500",
                                      "--session", "p\(index)", "--batch", "\(1 + index)", "--max-bytes", "100000"])
        }
        for child in children {
            child.waitUntilExit()
            #expect(child.terminationStatus == 0)
        }
        let result = try AuditVerifier.verify(path: temporary.audit.path)
        #expect(result.ok, "\(String(describing: result.failure))")
        var perSession: [String: Int] = [:]
        var sessionsSeen = [String]()
        try AuditLogReader.forEachRecord(path: temporary.audit.path) {
            guard $0.event.kind == .decision else { return }
            perSession[$0.event.session, default: 0] += 1
            if sessionsSeen.last != $0.event.session { sessionsSeen.append($0.event.session) }
        }
        #expect(perSession == ["p0": 500, "p1": 500, "p2": 500, "p3": 500])
        #expect(try temporary.audit.chainFiles().count > 1, "100 kB files must rotate under contention")
    }

    @Test func aWriterKilledMidStreamLeavesAVerifiableLog() throws {
        let executable = try #require(benchExecutable(), "AuditBench is built with the tests (swift build --build-tests)")
        let temporary = TemporaryDirectory()
        defer { temporary.cleanup() }
        try temporary.audit.create()
        let child = try runChild(executable, ["append", "--dir", temporary.audit.path, "--count", "100000000",
                                              "--batch", "500", "--session", "doomed"])
        // Wait until the child has written something, then kill it without warning.
        while (try? FileIO.stat(path: temporary.audit.activeFile)?.st_size ?? 0) ?? 0 < 200_000 { usleep(10_000) }
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal)
        let result = try AuditVerifier.verify(path: temporary.audit.path)
        #expect(result.ok, "\(String(describing: result.failure))")
        #expect(result.records > 0)
        // Whatever the kill left, a new writer continues the chain.
        try writeRecords(temporary.audit, count: 3)
        let after = try AuditVerifier.verify(path: temporary.audit.path)
        #expect(after.ok)
        #expect(after.partialTail == nil)
        #expect(after.records >= result.records + 3)
    }

    @Test func aBurstOfOneHundredThousandRecordsLosesNone() async throws {
        let temporary = TemporaryDirectory()
        defer { temporary.cleanup() }
        let directory = temporary.audit
        let returned = Collected<UInt64>()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for session in 0..<4 {
                group.addTask {
                    let writer = try makeWriter(directory, mode: .required, maxFileBytes: 8 << 20, session: "b\(session)")
                    var seqs = [UInt64]()
                    for index in 0..<25_000 {
                        seqs.append(try #require(try writer.append(decisionEvent(index, session: "b\(session)"))))
                    }
                    returned.append(contentsOf: seqs)
                    try writer.close()
                }
            }
            try await group.waitForAll()
        }
        let result = try AuditVerifier.verify(path: directory.path)
        #expect(result.ok, "\(String(describing: result.failure))")
        var decisions = 0
        try AuditLogReader.forEachRecord(path: directory.path) { if $0.event.kind == .decision { decisions += 1 } }
        #expect(decisions == 100_000)
        #expect(Set(returned.values).count == 100_000, "every append got its own sequence number")
    }
}
