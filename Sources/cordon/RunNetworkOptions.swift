import ArgumentParser

/// `cordon run --allow-net` and `--allow-local-port`: the network endpoints the program may
/// reach through Cordon, and the ports of its own servers inside the sandbox.
struct RunNetworkOptions: ParsableArguments {
    @Option(name: .customLong("allow-net"),
            help: ArgumentHelp("Let the program connect to HOST:PORT through Cordon's proxy (*.domain and port * allowed); localhost, 127.0.0.1 or ::1 with a port forwards that host service.", valueName: "host:port"))
    var endpoints: [String] = []

    @Option(name: .customLong("allow-local-port"),
            help: ArgumentHelp("Let the program connect to a server it runs itself inside the sandbox on this port (common development ports such as 3000, 5173, 8000 and 8080, and servers on port 0, need no option).", valueName: "port"))
    var localPorts: [UInt16] = []

    /// The endpoints as `network:` capability texts.
    var capabilities: [String] { endpoints.map { "network:" + $0 } }
}
