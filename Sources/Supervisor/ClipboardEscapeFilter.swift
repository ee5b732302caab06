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
        /// Inside `ESC ]`, matching the bytes of `52;` in `held`.
        case oscPrefix
        /// Inside an OSC 52 (`held` has it while it may still pass).
        case clipboard
        /// Inside an OSC 52, right after an ESC (a `\` ends it).
        case clipboardEscape
    }

    private var state: State = .text
    /// Bytes of an undecided or passing sequence.
    private var held: [UInt8] = []
    /// Whether `held` is kept for passing (granted writes, not yet too long).
    private var keeping = false
    /// Whether clipboard writes pass.
    public let allowWrites: Bool
    /// The longest clipboard write that passes (larger ones are dropped).
    public static let maximumPassedLength = 1 << 20

    private static let introducer: [UInt8] = [0x1b, UInt8(ascii: "]")]
    private static let number = Array("52;".utf8)

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
                    held = Self.introducer
                    state = .oscPrefix
                } else {
                    output.append(0x1b)
                    if byte != 0x1b {
                        output.append(byte)
                        state = .text
                    }
                }
            case .oscPrefix:
                held.append(byte)
                let matched = held.count - Self.introducer.count
                if byte != Self.number[matched - 1] {
                    output += held
                    held = []
                    state = .text
                } else if matched == Self.number.count {
                    keeping = allowWrites
                    if !keeping { held = [] }
                    state = .clipboard
                }
            case .clipboard, .clipboardEscape:
                if keeping {
                    held.append(byte)
                    if held.count > Self.maximumPassedLength {
                        keeping = false
                        held = []
                    }
                }
                if byte == 0x07 || (state == .clipboardEscape && byte == UInt8(ascii: "\\")) {
                    if keeping && !Self.isQuery(held) { output += held }
                    held = []
                    keeping = false
                    state = .text
                } else {
                    state = byte == 0x1b ? .clipboardEscape : .clipboard
                }
            }
        }
        return output
    }

    /// `ESC ] 52 ; selection ; ? terminator`.
    private static func isQuery(_ sequence: [UInt8]) -> Bool {
        let body = sequence.dropFirst(introducer.count + number.count).prefix { $0 != 0x07 && $0 != 0x1b }
        guard let separator = body.firstIndex(of: UInt8(ascii: ";")) else { return false }
        return Array(body[body.index(after: separator)...]) == [UInt8(ascii: "?")]
    }
}
