/// Removes OSC 52 clipboard sequences (`ESC ] 52 ; ... BEL` or `... ESC \`) from the agent's
/// output before it reaches the person's terminal, across read boundaries.
///
/// With `clipboard:write` granted, clipboard writes pass and only queries (`?` as the data,
/// which make the terminal type the clipboard into the agent's input) are removed. A sequence
/// longer than `maximumPassedLength` is dropped whole rather than buffered without bound.
public struct ClipboardEscapeFilter: Sendable {
    private enum State: Sendable {
        case text
        /// Saw ESC.
        case escape
        /// Inside `ESC ]`, collecting the first bytes to learn the OSC number.
        case oscPrefix([UInt8])
        /// Inside an OSC 52: `kept` holds it when it may pass; `sawEscape` for `ESC \`.
        case clipboard(kept: [UInt8]?, sawEscape: Bool)
    }

    private var state: State = .text
    /// Whether clipboard writes pass.
    public let allowWrites: Bool
    /// The longest clipboard write that passes (larger ones are dropped).
    public static let maximumPassedLength = 1 << 20

    /// Creates a filter.
    public init(allowWrites: Bool) { self.allowWrites = allowWrites }

    /// Filters one chunk; bytes of an undecided sequence are held until the next chunk.
    public mutating func filter(_ input: some Sequence<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        for byte in input {
            switch state {
            case .text:
                if byte == 0x1b { state = .escape } else { output.append(byte) }
            case .escape:
                if byte == UInt8(ascii: "]") {
                    state = .oscPrefix([])
                } else {
                    output.append(0x1b)
                    if byte == 0x1b { state = .escape } else {
                        output.append(byte)
                        state = .text
                    }
                }
            case .oscPrefix(var prefix):
                prefix.append(byte)
                if prefix == Array("52;".utf8) {
                    state = .clipboard(kept: allowWrites ? [0x1b, UInt8(ascii: "]")] + prefix : nil, sawEscape: false)
                } else if Array("52;".utf8).starts(with: prefix) {
                    state = .oscPrefix(prefix)
                } else {
                    output += [0x1b, UInt8(ascii: "]")] + prefix
                    state = .text
                }
            case .clipboard(var kept, let sawEscape):
                kept?.append(byte)
                if byte == 0x07 || (sawEscape && byte == UInt8(ascii: "\\")) {
                    if let sequence = kept, !Self.isQuery(sequence) { output += sequence }
                    state = .text
                } else {
                    if let count = kept?.count, count > Self.maximumPassedLength { kept = nil }
                    state = .clipboard(kept: kept, sawEscape: byte == 0x1b)
                }
            }
        }
        return output
    }

    /// `ESC ] 52 ; selection ; ? terminator`.
    private static func isQuery(_ sequence: [UInt8]) -> Bool {
        let body = sequence.dropFirst(5).prefix { $0 != 0x07 && $0 != 0x1b }
        guard let separator = body.firstIndex(of: UInt8(ascii: ";")) else { return false }
        return Array(body[body.index(after: separator)...]) == [UInt8(ascii: "?")]
    }
}
