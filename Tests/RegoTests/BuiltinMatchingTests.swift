import Testing
@testable import Rego

@Suite struct BuiltinMatchingTests {
    func glob(_ pattern: String, _ delimiters: Value, _ subject: String) throws -> Value? {
        try call("glob.match", s(pattern), delimiters, s(subject))
    }

    @Test func globDelimiters() throws {
        #expect(try glob("*.github.com", arr(s(".")), "api.github.com") == .bool(true))
        #expect(try glob("*.github.com", arr(s(".")), "a.b.github.com") == .bool(false))
        #expect(try glob("api.**.com", arr(s(".")), "api.cdn.github.com") == .bool(true))
        #expect(try glob("*", arr(), "foo.bar") == .bool(false))
        #expect(try glob("*", .null, "foo.bar") == .bool(true))
        #expect(try glob("?at", arr(s("f")), "fat") == .bool(false))
        #expect(try glob("/home/*/.ssh/**", arr(s("/")), "/home/ann/.ssh/keys/id") == .bool(true))
        #expect(try glob("/home/*/.ssh/*", arr(s("/")), "/home/ann/.ssh/keys/id") == .bool(false))
    }

    @Test func globListsAndAlternatives() throws {
        #expect(try glob("[abc]at", arr(), "cat") == .bool(true))
        #expect(try glob("[!abc]at", arr(), "cat") == .bool(false))
        #expect(try glob("[a-c]at", arr(), "bat") == .bool(true))
        #expect(try glob("[!a-c]at", arr(), "fat") == .bool(true))
        #expect(try glob("{cat,bat,[fr]at}", arr(), "rat") == .bool(true))
        #expect(try glob("{cat,bat,[fr]at}", arr(), "at") == .bool(false))
        #expect(try glob("a\\*b", arr(), "a*b") == .bool(true))
        #expect(try glob("a\\*b", arr(), "axb") == .bool(false))
        #expect(failure("glob.match", s("[abc"), arr(), s("a"))?.kind == .builtin)
        #expect(failure("glob.match", s("a"), s("x"), s("a")) == BuiltinError(.type, "glob.match: operand 2 must be one of {array, null} but got string"))
    }

    /// A glob wrapped in `{...}` runs on the general automaton; unwrapped it runs bit-parallel.
    /// Both must agree everywhere.
    @Test func globEnginesAgree() throws {
        let globs = ["/etc/**", "/home/*/.ssh/*", "**/.env", "*.pem", "/var/log/*/*.log", "a?c", "[a-c]*x", "[!/]*", "**", "*", "", "é*ü"]
        let subjects = ["/etc/ssh/sshd_config", "/etc/", "/home/ann/.ssh/id", "/home/ann/x/.ssh/id", "/p/.env", ".env", "key.pem",
                        "dir/key.pem", "/var/log/app/x.log", "abc", "a/c", "bzzx", "", "éabü", "x"]
        for g in globs {
            for subject in subjects {
                let fast = try glob(g, arr(s("/")), subject)
                let general = try glob("{" + g + "}", arr(s("/")), subject)
                #expect(fast == general, "\(g) on \(subject)")
            }
        }
    }

    @Test func globQuoteMeta() throws {
        #expect(try call("glob.quote_meta", s("*.github.com")) == s("\\*.github.com"))
        #expect(try call("glob.quote_meta", s("[a]{b}?\\")) == s("\\[a\\]\\{b\\}\\?\\\\"))
    }

    @Test func cidrContainsAndIntersects() throws {
        #expect(try call("net.cidr_contains", s("10.0.0.0/8"), s("10.1.2.3")) == .bool(true))
        #expect(try call("net.cidr_contains", s("10.0.0.0/8"), s("11.1.2.3")) == .bool(false))
        #expect(try call("net.cidr_contains", s("10.0.0.0/8"), s("10.1.0.0/16")) == .bool(true))
        #expect(try call("net.cidr_contains", s("10.1.0.0/16"), s("10.0.0.0/8")) == .bool(false))
        #expect(try call("net.cidr_contains", s("2001:db8::/32"), s("2001:db8::1")) == .bool(true))
        #expect(try call("net.cidr_intersects", s("192.168.1.0/25"), s("192.168.1.64/25")) == .bool(true))
        #expect(try call("net.cidr_intersects", s("192.168.1.0/24"), s("192.168.2.0/24")) == .bool(false))
        #expect(failure("net.cidr_contains", s("not-a-cidr"), s("1.2.3.4")) == BuiltinError(.builtin, "net.cidr_contains: invalid CIDR address: not-a-cidr"))
        #expect(failure("net.cidr_contains", s("10.0.0.0/8"), s("x"))
            == BuiltinError(.builtin, "net.cidr_contains: not a valid textual representation of an IP address or CIDR: x"))
        #expect(try call("net.cidr_is_valid", s("10.0.0.0/33")) == .bool(false))
        #expect(try call("net.cidr_is_valid", s("::1/128")) == .bool(true))
        #expect(try call("net.cidr_is_valid", s("010.0.0.0/8")) == .bool(false))
    }

    @Test func cidrExpandMatchesMerge() throws {
        #expect(try call("net.cidr_expand", s("192.168.1.1/30")) == set(s("192.168.1.0"), s("192.168.1.1"), s("192.168.1.2"), s("192.168.1.3")))
        #expect(failure("net.cidr_expand", s("192.168.1.1/33")) == BuiltinError(.builtin, "net.cidr_expand: invalid CIDR address: 192.168.1.1/33"))
        #expect(try call("net.cidr_contains_matches", arr(s("10.0.0.0/8"), s("192.168.0.0/16")), s("10.1.1.1")) == set(arr(.int(0), s("10.1.1.1"))))
        #expect(try call("net.cidr_contains_matches", obj(("k", arr(s("10.0.0.0/8"), s("tag")))), set(s("10.0.0.1"))) == set(arr(s("k"), s("10.0.0.1"))))
        #expect(failure("net.cidr_contains_matches", s("10.0.0.0/8"), arr(.int(1)))
            == BuiltinError(.builtin, "net.cidr_contains_matches: operand 2: element must be string or non-empty array"))
        #expect(try call("net.cidr_merge", arr(s("192.0.128.0/24"), s("192.0.129.0/24"))) == set(s("192.0.128.0/23")))
        #expect(try call("net.cidr_merge", arr(s("192.0.2.112"), s("192.0.2.116/31"), s("192.0.2.118/31"))) == set(s("192.0.2.0/24")))
        #expect(try call("net.cidr_merge", arr(s("2601:600:8a80:207e:a57d:7567:e2c9:e7b3/64"), s("2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128")))
            == set(s("2601:600:8a80:207e::/64")))
        #expect(try call("net.cidr_merge", arr(s("fe80::/120"), s("192.0.2.0/24"), s("192.0.3.0/24"))) == set(s("192.0.2.0/23"), s("fe80::/120")))
        #expect(try call("net.cidr_merge", arr(s("192.0.2.112/31"), s("192.0.2.116/31"), s("192.0.2.118/31"))) == set(s("192.0.2.112/31"), s("192.0.2.116/30")))
        #expect(failure("net.cidr_merge", arr(s("2601:600:8a80:207e:a57d:7567:e2c9:e7b3")))
            == BuiltinError(.builtin, "net.cidr_merge: IPv6 invalid: needs prefix length"))
    }

    @Test func regexMatchesLikeRE2() throws {
        #expect(try call("regex.match", s("^[a-z]+\\[[0-9]+\\]$"), s("foo[1]")) == .bool(true))
        #expect(try call("regex.match", s(""), s("x")) == .bool(true))
        #expect(try call("regex.match", s("^$"), s("something")) == .bool(false))
        #expect(try call("regex.match", s("b+"), s("abbbc")) == .bool(true))
        #expect(try call("regex.match", s("(?i)HELLO"), s("say hello")) == .bool(true))
        #expect(try call("regex.match", s("^a.c$"), s("a\nc")) == .bool(false))
        #expect(try call("regex.match", s("(?s)^a.c$"), s("a\nc")) == .bool(true))
        #expect(try call("regex.match", s("^b$"), s("a\nb")) == .bool(false))
        #expect(try call("regex.match", s("(?m)^b$"), s("a\nb")) == .bool(true))
        #expect(try call("regex.match", s("\\d{3}-\\d{4}"), s("call 555-1234")) == .bool(true))
        #expect(try call("regex.match", s("^\\w+@\\w+\\.com$"), s("ann@example.com")) == .bool(true))
        #expect(try call("regex.match", s("\\bcat\\b"), s("concatenate")) == .bool(false))
        #expect(try call("regex.match", s("^(a|b)*c{2,3}$"), s("ababccc")) == .bool(true))
        #expect(try call("regex.match", s("^(a|b)*c{2,3}$"), s("abcccc")) == .bool(false))
        #expect(try call("regex.match", s("^[[:alpha:]]+$"), s("abcXYZ")) == .bool(true))
        #expect(try call("regex.match", s("^\\p{Greek}+$"), s("αβγ")) == .bool(true))
        #expect(try call("regex.match", s("^[^/]+$"), s("a/b")) == .bool(false))
        #expect(try call("regex.match", s("^\\x{263a}$"), s("☺")) == .bool(true))
    }

    @Test func regexIsLinear() throws {
        // Exponential for a backtracking engine; linear here.
        let subject = String(repeating: "a", count: 5000) + "!"
        #expect(try call("regex.match", s("^(a+)+$"), s(subject)) == .bool(false))
    }

    @Test func regexRejectsWhatRE2Rejects() throws {
        #expect(try call("regex.is_valid", s(".+")) == .bool(true))
        #expect(try call("regex.is_valid", s("++")) == .bool(false))
        #expect(try call("regex.is_valid", s("(a)\\1")) == .bool(false))
        #expect(try call("regex.is_valid", s("(?=a)")) == .bool(false))
        #expect(try call("regex.is_valid", s("a**")) == .bool(false))
        #expect(try call("regex.is_valid", s("a{1001}")) == .bool(false))
        #expect(try call("regex.is_valid", s("(?P<name>a)")) == .bool(true))
        #expect(try call("regex.is_valid", .int(1)) == .bool(false))
        #expect(failure("regex.match", s("(abc"), s("x")) == BuiltinError(.builtin, "regex.match: error parsing regexp: missing closing ): `(abc`"))
        #expect(failure("regex.match", s("$^[[["), s("x")) == BuiltinError(.builtin, "regex.match: error parsing regexp: missing closing ]: `[[[`"))
        #expect(failure("regex.match", s("a**"), s("x")) == BuiltinError(.builtin, "regex.match: error parsing regexp: invalid nested repetition operator: `**`"))
        #expect(failure("regex.match", s("*a"), s("x")) == BuiltinError(.builtin, "regex.match: error parsing regexp: missing argument to repetition operator: `*`"))
        #expect(failure("regex.match", s("a)"), s("x")) == BuiltinError(.builtin, "regex.match: error parsing regexp: unexpected ): `a)`"))
        #expect(failure("regex.match", s("[z-a]"), s("x")) == BuiltinError(.builtin, "regex.match: error parsing regexp: invalid character class range: `z-a`"))
        #expect(failure("regex.match", s("\\1"), s("x")) == BuiltinError(.builtin, "regex.match: error parsing regexp: invalid escape sequence: `\\1`"))
    }
}

/// Cases where a first version differed from OPA v1.20 run on the same expressions.
@Suite struct BuiltinOPAParityTests {
    @Test func arithmeticAndStrings() throws {
        #expect(try call("ceil", .double(-0.5)) == .int(1))
        #expect(try call("floor", .double(-0.5)) == .int(0))
        #expect(try call("ceil", .double(-1.5)) == .int(-1))
        #expect(try call("lower", s("\u{130}")) == s("i"))
        #expect(try call("sprintf", s("%[2]d %[1]d"), arr(.int(1), .int(2))) == s("2 1"))
        #expect(try call("sprintf", s("%*d|%-*d|"), arr(.int(4), .int(1), .int(3), .int(2))) == s("   1|2  |"))
        #expect(try call("sprintf", s("%+q %#q"), arr(s("é"), s("a"))) == s("\"\\u00e9\" `a`"))
        #expect(failure("to_number", s("1e400")) == BuiltinError(.builtin, "to_number: strconv.ParseFloat: parsing \"1e400\": value out of range"))
        #expect(failure("to_number", s("0x1F")) == BuiltinError(.builtin, "to_number: strconv.ParseFloat: parsing \"0x1F\": invalid syntax"))
        #expect(try call("json.marshal", .object([.int(1): .int(2), s("1"): .int(3)])) == s("{\"1\":3}"))
    }

    @Test func matching() throws {
        #expect(try call("net.cidr_contains", s("::/0"), s("1.2.3.4")) == .bool(false))
        #expect(try call("net.cidr_contains", s("::ffff:10.0.0.0/104"), s("10.1.2.3")) == .bool(true))
        #expect(try call("regex.match", s("[\\P{L}]"), s("abc")) == .bool(false))
        #expect(try call("regex.match", s("[\\P{L}]"), s("ab1")) == .bool(true))
        #expect(try call("regex.match", s("(?i)Σ"), s("ς")) == .bool(true))
        #expect(failure("regex.match", s("[[:foo:]]"), s("a"))
            == BuiltinError(.builtin, "regex.match: error parsing regexp: invalid character class range: `[:foo:]`"))
        #expect(failure("regex.match", s("\\C"), s("a")) == BuiltinError(.builtin, "regex.match: error parsing regexp: invalid escape sequence: `\\C`"))
        #expect(failure("regex.match", s("(?i"), s("a")) == BuiltinError(.builtin, "regex.match: error parsing regexp: invalid or unsupported Perl syntax: `(?i`"))
        #expect(failure("glob.match", s("[]a]"), arr(), s("a")) == BuiltinError(.builtin, "glob.match: could not parse range"))
        #expect(try call("glob.match", s("{a,b"), arr(), s("a")) == .bool(true))
        #expect(try call("yaml.unmarshal", s("--- 1\n--- 2\n")) == .int(1))
        #expect(try call("yaml.marshal", arr(arr(.int(1), .int(2)))) == s("- - 1\n  - 2\n"))
        #expect(try call("yaml.marshal", arr(s("-x"), s("1e3"), s("@a"), s("a #b"), s("'q'"), s("2001-01-01"), s("é")))
            == s("- -x\n- \"1e3\"\n- '@a'\n- 'a #b'\n- '''q'''\n- \"2001-01-01\"\n- é\n"))
        #expect(try call("yaml.marshal", obj(("multi", s("line1\nline2")), ("a b", .int(1)))) == s("a b: 1\nmulti: |-\n  line1\n  line2\n"))
        #expect(failure("base64.decode", s("YQ=")) == BuiltinError(.builtin, "base64.decode: illegal base64 data at input byte 3"))
    }
}
