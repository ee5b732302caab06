import ArgumentParser

/// `cordon run --allow-net`: the network endpoints the program may reach through Cordon.
struct RunNetworkOptions: ParsableArguments {
    @Option(name: .customLong("allow-net"),
            help: ArgumentHelp("Let the program connect to HOST:PORT through Cordon's proxy (*.domain and port * allowed); localhost, 127.0.0.1 or ::1 with a port forwards that host service.", valueName: "host:port"))
    var endpoints: [String] = []

    /// The endpoints as `network:` capability texts.
    var capabilities: [String] { endpoints.map { "network:" + $0 } }
}
