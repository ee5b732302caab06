import Foundation
import Testing

@testable import AuditLog

/// A full disk, on a small tmpfs mounted for the test: `required` throws, best effort reports
/// the gap on stderr and records it in the next record written.
@Suite(.serialized, .enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
struct DiskFullTests {
    /// A record larger than the slack in the active file's last page, so that it needs a page
    /// the full file system no longer has.
    private func bigEvent(_ index: Int) -> AuditEvent {
        var event = decisionEvent(index, outcome: .deny)
        if case .decision(var decision) = event.body {
            decision.reason = String(repeating: "x", count: 16_384)
            event.body = .decision(decision)
        }
        return event
    }

    /// Mounts a 256 kB tmpfs, fills it with a filler file that leaves no room, and runs `body`.
    private func withFullDisk(_ body: (AuditDirectory, _ free: () -> Void) throws -> Void) throws {
        let temporary = TemporaryDirectory()
        defer { temporary.cleanup() }
        let mountPoint = temporary.path + "/small"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: false)
        guard mount("tmpfs", mountPoint, "tmpfs", 0, "size=256k,mode=0700") == 0 else {
            Issue.record("mount tmpfs at \(mountPoint): \(String(cString: strerror(errno)))")
            return
        }
        defer { umount2(mountPoint, Int32(MNT_DETACH)) }
        let directory = AuditDirectory(path: mountPoint + "/audit")
        try writeRecords(directory, count: 5)
        let filler = mountPoint + "/filler"
        let descriptor = open(filler, O_WRONLY | O_CREAT, 0o600)
        let block = [UInt8](repeating: 0x2e, count: 4096)
        while block.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) > 0 {}
        #expect(errno == ENOSPC, "positive control: the filler really filled the file system")
        close(descriptor)
        try body(directory) { unlink(filler) }
    }

    @Test func requiredModeThrowsAndLeavesNoPartialRecord() throws {
        try withFullDisk { directory, free in
            let writer = try makeWriter(directory, mode: .required)
            #expect {
                try writer.append(bigEvent(1))
            } throws: { error in
                (error as? AuditError)?.code == .writeFailed && (error as? AuditError)?.errno == ENOSPC
            }
            let result = try AuditVerifier.verify(path: directory.path)
            #expect(result.ok)
            #expect(result.records == 5)
            #expect(result.partialTail == nil)
            free()
            // Once there is room again the lost record is accounted for.
            try writer.append(decisionEvent(2))
            try writer.close()
            var gaps = [AuditEvent.AuditGap]()
            try AuditLogReader.forEachRecord(path: directory.path) {
                if case .auditGap(let gap) = $0.event.body { gaps.append(gap) }
            }
            #expect(gaps.map(\.lostRecords) == [1])
        }
    }

    @Test func bestEffortModeKeepsGoingReportsTheGapAndRecordsItNext() throws {
        try withFullDisk { directory, free in
            let reports = Collected<String>()
            let writer = try makeWriter(directory, mode: .bestEffort, reportGap: { reports.append($0) })
            for index in 0..<3 {
                #expect(try writer.append(bigEvent(index)) == nil)
            }
            #expect(reports.values.count == 3)
            #expect(reports.values.last?.contains("AUDIT GAP: 3 record(s)") == true)
            free()
            let seq = try writer.append(decisionEvent(10))
            try writer.close()
            #expect(seq == 7, "5 records, then the gap record, then this one")
            var records = [AuditRecord]()
            try AuditLogReader.forEachRecord(path: directory.path) { records.append($0) }
            guard case .auditGap(let gap) = records[5].event.body else {
                Issue.record("record 6 is not the gap: \(records[5])")
                return
            }
            #expect(gap.lostRecords == 3)
            #expect(gap.error?.contains("No space left on device") == true)
            #expect(try AuditVerifier.verify(path: directory.path).ok)
        }
    }
}
