import BigInt

extension BuiltinRegistry {
    /// net.cidr_contains, net.cidr_intersects, net.cidr_contains_matches, net.cidr_expand,
    /// net.cidr_is_valid, net.cidr_merge.
    static let netCIDR: [Builtin] = [
        Builtin.function("net.cidr_contains", [.string, .string], .boolean) { ops in
            .bool(try CIDROps.contains(ops, try ops.string(1), try ops.string(2)))
        },
        Builtin.function("net.cidr_intersects", [.string, .string], .boolean) { ops in
            let a = try CIDROps.network(ops, try ops.string(1))
            let b = try CIDROps.network(ops, try ops.string(2))
            return .bool(a.contains(b.address) || b.contains(a.address))
        },
        Builtin.function(
            "net.cidr_contains_matches",
            [CIDROps.matchOperand, CIDROps.matchOperand],
            .set(.array(.any))
        ) { ops in
            var result = Set<Value>()
            let left = try CIDROps.entries(ops, 1), right = try CIDROps.entries(ops, 2)
            for (cidr1, key1) in left {
                for (cidr2, key2) in right where try CIDROps.contains(ops, cidr1, cidr2) {
                    result.insert(.array([key1, key2]))
                }
            }
            return .set(result)
        },
        Builtin.function("net.cidr_expand", [.string], .set(.string)) { ops in
            let text = try ops.string(1)
            guard let net = IPNetwork.parse(text) else { throw ops.failure("invalid CIDR address: \(text)") }
            let host = net.bitLength - net.prefix
            if host > CIDROps.maxExpandBits { throw ops.failure("CIDR \(text) has more than 2^\(CIDROps.maxExpandBits) addresses") }
            var out = Set<Value>()
            let first = net.first.integer
            let count = 1 << host
            out.reserveCapacity(count)
            for i in 0..<count {
                out.insert(.string(IPAddress(integer: first + BigUInt(i), length: net.address.bytes.count).description))
            }
            return .set(out)
        },
        Builtin.function("net.cidr_is_valid", [.string], .boolean) { ops in
            guard case .string(let s) = ops[1] else { return .bool(false) }
            return .bool(IPNetwork.parse(s) != nil)
        },
        Builtin.function("net.cidr_merge", [.anyOf([.array(.string), .set(.string)])], .set(.string)) { ops in
            let items: [Value]
            switch ops[1] {
            case .array(let a): items = a
            case .set(let s): items = s.sorted()
            default: throw ops.failure("operand must be an array")
            }
            var networks: [IPNetwork] = []
            for item in items {
                guard case .string(let s) = item else { throw ops.failure("element must be string") }
                if let ip = IPAddress.parse(s) {
                    guard let v4 = ip.v4 else { throw ops.failure("IPv6 invalid: needs prefix length") }
                    // Go gives a bare IPv4 address its classful default mask.
                    let prefix = v4.bytes[0] < 0x80 ? 8 : (v4.bytes[0] < 0xC0 ? 16 : 24)
                    networks.append(IPNetwork(address: v4, prefix: prefix))
                } else if let net = IPNetwork.parse(s) {
                    networks.append(net)
                } else {
                    throw ops.failure("invalid CIDR address: \(s)")
                }
            }
            return .set(Set(CIDROps.merge(networks).map { .string($0) }))
        },
    ]
}

/// Helpers shared by the net.cidr builtins.
enum CIDROps {
    /// Largest expansion: 2^20 addresses.
    static let maxExpandBits = 20

    static let matchOperand = BuiltinType.anyOf([
        .string, .array(.anyOf([.string, .anyArray])), .set(.anyOf([.string, .anyArray])),
        .object(key: .string, value: .anyOf([.string, .anyArray])),
    ])

    static func network(_ ops: Operands, _ s: String) throws -> IPNetwork {
        guard let net = IPNetwork.parse(s) else { throw ops.failure("invalid CIDR address: \(s)") }
        return net
    }

    /// A contains B when B is an address inside A, or a network whose first and last addresses are.
    static func contains(_ ops: Operands, _ a: String, _ b: String) throws -> Bool {
        let net = try network(ops, a)
        if let ip = IPAddress.parse(b) { return net.contains(ip) }
        guard let inner = IPNetwork.parse(b) else {
            throw ops.failure("not a valid textual representation of an IP address or CIDR: \(b)")
        }
        return net.contains(inner.first) && net.contains(inner.last)
    }

    /// (cidr, key) pairs of a cidr_contains_matches operand.
    static func entries(_ ops: Operands, _ position: Int) throws -> [(String, Value)] {
        func cidr(_ v: Value) throws -> String {
            switch v {
            case .string(let s): return s
            case .array(let a):
                guard case .string(let s)? = a.first else { fallthrough }
                return s
            default:
                throw ops.failure("operand \(position): element must be string or non-empty array")
            }
        }
        switch ops[position] {
        case .string(let s): return [(s, .string(s))]
        case .array(let a): return try a.enumerated().map { (try cidr($0.element), .int($0.offset)) }
        case .set(let s): return try s.sorted().map { (try cidr($0), $0) }
        case .object(let o): return try o.sorted { $0.key < $1.key }.map { (try cidr($0.value), $0.key) }
        default: return []
        }
    }

    /// Merges adjacent and overlapping networks into the fewest CIDRs; a network merged with
    /// nothing keeps its text as given.
    static func merge(_ networks: [IPNetwork]) -> [String] {
        var out: [String] = []
        for family in [4, 16] {
            struct Block { var first: BigUInt; var last: BigUInt; var original: IPNetwork? }
            var blocks = networks.filter { $0.address.bytes.count == family }
                .map { Block(first: $0.first.integer, last: $0.last.integer, original: $0) }
            blocks.sort { $0.last != $1.last ? $0.last < $1.last : $0.first < $1.first }
            var i = blocks.count - 1
            while i > 0 {
                let previous = blocks[i].first == 0 ? BigUInt(0) : blocks[i].first - 1
                if previous <= blocks[i - 1].last {
                    blocks[i - 1] = Block(first: min(blocks[i - 1].first, blocks[i].first), last: blocks[i].last, original: nil)
                    blocks.remove(at: i)
                }
                i -= 1
            }
            for block in blocks {
                if let original = block.original {
                    out.append(original.description)
                } else {
                    out += rangeToCIDRs(block.first, block.last, length: family).map(\.description)
                }
            }
        }
        return out
    }

    /// The aligned blocks that exactly cover [first, last].
    static func rangeToCIDRs(_ first: BigUInt, _ last: BigUInt, length: Int) -> [IPNetwork] {
        let bits = length * 8
        var result: [IPNetwork] = []
        var start = first
        while start <= last {
            var host = 0
            while host < bits {
                let size = BigUInt(1) << (host + 1)
                if start % size != 0 || start + size - 1 > last { break }
                host += 1
            }
            result.append(IPNetwork(address: IPAddress(integer: start, length: length), prefix: bits - host))
            let next = start + (BigUInt(1) << host)
            if next == 0 || next > (BigUInt(1) << bits) - 1 { break }
            start = next
        }
        return result
    }
}
