/// The environment that points programs inside the sandbox at the egress proxy.
public enum ProxyEnvironment {
    /// `NAME=value` entries, sorted by name, for a proxy reachable inside at `host:port`:
    /// the HTTP(S) proxy variables in both cases, `ALL_PROXY` as SOCKS5 with proxy-side name
    /// resolution (the same port speaks both), `NO_PROXY` for the loopback names (host services
    /// are forwarded there directly), Node's opt-in and the JVM's proxy properties.
    public static func variables(host: String = "127.0.0.1", port: UInt16) -> [String] {
        let authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let http = "http://\(authority)"
        let socks = "socks5h://\(authority)"
        let noProxy = "localhost,127.0.0.1,::1"
        let java = "-Dhttp.proxyHost=\(host) -Dhttp.proxyPort=\(port) -Dhttps.proxyHost=\(host) -Dhttps.proxyPort=\(port)"
            + " -Dhttp.nonProxyHosts=localhost|127.0.0.1|[::1]"
        let pairs: [(String, String)] = [
            ("HTTP_PROXY", http), ("http_proxy", http),
            ("HTTPS_PROXY", http), ("https_proxy", http),
            ("ALL_PROXY", socks), ("all_proxy", socks),
            ("NO_PROXY", noProxy), ("no_proxy", noProxy),
            ("NODE_USE_ENV_PROXY", "1"),
            ("JAVA_TOOL_OPTIONS", java),
        ]
        return pairs.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }
    }
}
