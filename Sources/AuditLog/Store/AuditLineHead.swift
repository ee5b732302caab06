/// The `seq` and `time` at the start of a line as `AuditLineEncoder` writes it
/// (`{"seq":N,"prev":"<64 hex>","time":"<RFC 3339>",...`), read without a JSON decoder: a
/// writer reads the last (and first) record of the active file at every session start, and
/// a decoder's set-up costs more than the rest of that read. Any other layout of a valid
/// record is left to the decoder.
struct AuditLineHead {
    var seq: UInt64
    /// `nil` when the line has no `time` right after `prev`, or one that does not parse.
    var time: AuditTime?

    init?(_ line: [UInt8]) {
        var index = 0
        func expect(_ text: StaticString) -> Bool {
            let bytes = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
            guard line.count - index >= bytes.count, line[index..<index + bytes.count].elementsEqual(bytes) else { return false }
            index += bytes.count
            return true
        }
        guard expect(#"{"seq":"#) else { return nil }
        var seq: UInt64 = 0
        let digitsStart = index
        while index < line.count, line[index] >= 48, line[index] <= 57 {
            let (product, overflow) = seq.multipliedReportingOverflow(by: 10)
            let (sum, carry) = product.addingReportingOverflow(UInt64(line[index] - 48))
            guard !overflow, !carry else { return nil }
            seq = sum
            index += 1
        }
        guard index > digitsStart, index - digitsStart == 1 || line[digitsStart] != 48 else { return nil }
        self.seq = seq
        guard expect(#","prev":""#), line.count - index >= 64 else { return nil }
        index += 64
        guard expect(#"","time":""#), let end = line[index...].firstIndex(of: 34) else {
            time = nil
            return
        }
        time = AuditTime(rfc3339: String(decoding: line[index..<end], as: UTF8.self))
    }
}
