import Supervisor

/// What `cordon run` was asked on its command line, as typed values: the session request, how
/// it is recorded, and how talkative Cordon is. Both ways of reading the command line
/// (`RunCommand` through ArgumentParser, `RunArgumentScanner` for the common case) produce it.
struct RunInvocation: Equatable {
    var request: SessionRequest
    var audit: SessionAuditOptions
    var verbose: Bool
}
