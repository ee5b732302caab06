import Testing
@testable import Supervisor

@Suite struct ClipboardEscapeFilterTests {
    static let write = "\u{1b}]52;c;aGVsbG8=\u{07}"
    static let writeST = "\u{1b}]52;c;aGVsbG8=\u{1b}\\"
    static let query = "\u{1b}]52;c;?\u{07}"
    static let title = "\u{1b}]0;my title\u{07}"

    func run(_ chunks: [String], allowWrites: Bool) -> String {
        var filter = ClipboardEscapeFilter(allowWrites: allowWrites)
        return String(decoding: chunks.flatMap { filter.filter(Array($0.utf8)) }, as: UTF8.self)
    }

    @Test func clipboardWritesAreRemovedAndEverythingElseKept() {
        let colour = "\u{1b}[31mred\u{1b}[0m"
        let input = "a" + Self.write + "b" + Self.writeST + colour + Self.title + "\u{1b}\u{1b}]5x"
        #expect(run([input], allowWrites: false) == "ab" + colour + Self.title + "\u{1b}\u{1b}]5x")
    }

    @Test func sequencesSplitAcrossReadsAreStillRemoved() {
        let input = "x" + Self.write + "y"
        let bytes = Array(input.utf8)
        for cut in 1..<bytes.count {
            let chunks = [String(decoding: bytes[..<cut], as: UTF8.self), String(decoding: bytes[cut...], as: UTF8.self)]
            #expect(run(chunks, allowWrites: false) == "xy", "cut at \(cut)")
        }
    }

    @Test func grantedWritesPassButQueriesNever() {
        #expect(run(["a" + Self.write + "b"], allowWrites: true) == "a" + Self.write + "b")
        #expect(run(["a" + Self.writeST], allowWrites: true) == "a" + Self.writeST)
        #expect(run(["a" + Self.query + "b"], allowWrites: true) == "ab")
        #expect(run(["a" + Self.query + "b"], allowWrites: false) == "ab")
    }

    @Test func anEndlessSequenceIsDroppedNotBuffered() {
        var filter = ClipboardEscapeFilter(allowWrites: true)
        var passed = filter.filter(Array("\u{1b}]52;c;".utf8))
        for _ in 0..<20 { passed += filter.filter([UInt8](repeating: UInt8(ascii: "A"), count: 65536)) }
        passed += filter.filter(Array("\u{07}after".utf8))
        #expect(String(decoding: passed, as: UTF8.self) == "after")
    }
}
