/// A destination beyond the file: a syslog daemon, a decision-log service, a webhook. The file
/// is the source of truth; a sink is fed from it by an `AuditForwarder` on its own thread, so
/// a sink may block or fail without holding back a decision or losing a record.
public protocol AuditSink: Sendable {
    /// Delivers records in order, with the exact lines they were written as. Throws when not
    /// all of them were accepted; the forwarder then retries the same batch later.
    func deliver(_ records: [(record: AuditRecord, line: [UInt8])]) throws
}
