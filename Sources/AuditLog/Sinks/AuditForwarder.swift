import Foundation
import Logging

/// Feeds one sink from the audit directory on its own thread. It reads the records after its
/// cursor (`sinks/<name>.cursor`), delivers them in batches, and moves the cursor only after a
/// batch was accepted; on failure it retries the same batch with exponential backoff. So a sink
/// that is down loses nothing, and one that stalls holds back only this thread: writers never
/// wait for it (`wake()` only signals), and nothing queues in memory because the file is the
/// queue.
public final class AuditForwarder: @unchecked Sendable {
    /// How the forwarder batches and retries.
    public struct Configuration: Sendable {
        /// The sink's name, which names its cursor file.
        public var name: String
        /// The largest batch delivered at once.
        public var batchSize: Int
        /// The first retry delay, in seconds; it doubles up to `maxBackoff`.
        public var initialBackoff: Double
        /// The longest retry delay, in seconds.
        public var maxBackoff: Double
        /// How often to look for records written by other processes, in seconds.
        public var pollInterval: Double

        /// Batches of 500, retries from 0.1 s up to 30 s, polling once a second.
        public init(name: String, batchSize: Int = 500, initialBackoff: Double = 0.1, maxBackoff: Double = 30,
                    pollInterval: Double = 1) {
            self.name = name
            self.batchSize = batchSize
            self.initialBackoff = initialBackoff
            self.maxBackoff = maxBackoff
            self.pollInterval = pollInterval
        }
    }

    /// How the forwarder batches and retries.
    public let configuration: Configuration
    private let directory: AuditDirectory
    private let sink: any AuditSink
    private let logger: Logger
    private let condition = NSCondition()
    private var woken = false
    private var stopping = false
    private var running = false
    private var delivered: UInt64
    private var thread: Thread?
    private var finished = false

    /// A forwarder from `directory` to `sink`, resuming from the sink's cursor.
    public init(directory: AuditDirectory, sink: any AuditSink, configuration: Configuration, logger: Logger) throws {
        self.directory = directory
        self.sink = sink
        self.configuration = configuration
        self.logger = logger
        try AuditDirectory(path: directory.path + "/sinks").create()
        let cursorPath = directory.cursorFile(sink: configuration.name)
        if try FileIO.stat(path: cursorPath) != nil {
            let text = String(decoding: try FileIO.readFile(cursorPath), as: UTF8.self)
            guard let value = UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw AuditError(.corrupt, operation: "read cursor", path: cursorPath, detail: "not a sequence number",
                                 remedy: "remove the file to resend everything to this sink")
            }
            delivered = value
        } else {
            delivered = 0
        }
    }

    /// The last sequence number the sink accepted.
    public var deliveredSeq: UInt64 { condition.withLock { delivered } }

    /// Starts the forwarding thread.
    public func start() {
        condition.withLock {
            guard !running else { return }
            running = true
            let thread = Thread { [self] in run() }
            thread.name = "cordon-audit-\(configuration.name)"
            self.thread = thread
            thread.start()
        }
    }

    /// Tells the thread new records exist. Never blocks on the sink.
    public func wake() {
        condition.withLock {
            woken = true
            condition.broadcast()
        }
    }

    /// Waits until the sink accepted `seq`, or `timeout` seconds passed. True when it did.
    public func waitUntilDelivered(_ seq: UInt64, timeout: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        return condition.withLock {
            while delivered < seq {
                if !condition.wait(until: deadline) { return delivered >= seq }
            }
            return true
        }
    }

    /// Stops the thread after the delivery in progress (bounded by the sink's timeout) and
    /// waits for it to end. Undelivered records stay in the file for the next forwarder.
    public func stop() {
        condition.withLock {
            stopping = true
            condition.broadcast()
            while running, !finished { condition.wait() }
        }
    }

    private func run() {
        var follower = AuditFollower(directory: directory, after: deliveredSeq)
        var batch = [(record: AuditRecord, line: [UInt8])]()
        var backoff = configuration.initialBackoff
        while !isStopping {
            if batch.isEmpty {
                do {
                    batch = try follower.next(limit: configuration.batchSize)
                } catch {
                    logger.error("audit forwarder cannot read the log", metadata: ["sink": "\(configuration.name)",
                                                                                    "error": "\(error)"])
                    // Start over from the cursor: a writer may have cut a partial record the
                    // follower had half read.
                    follower = AuditFollower(directory: directory, after: deliveredSeq)
                    pause(backoff)
                    backoff = min(backoff * 2, configuration.maxBackoff)
                    continue
                }
                if batch.isEmpty {
                    pause(configuration.pollInterval, wakeable: true)
                    continue
                }
            }
            do {
                try sink.deliver(batch)
            } catch {
                logger.warning("audit sink failed; retrying", metadata: [
                    "sink": "\(configuration.name)", "error": "\(error)", "retry_in_s": "\(backoff)",
                ])
                pause(backoff)
                backoff = min(backoff * 2, configuration.maxBackoff)
                continue
            }
            backoff = configuration.initialBackoff
            let last = batch[batch.count - 1].record.seq
            batch = []
            do {
                try FileIO.replaceFile(directory.cursorFile(sink: configuration.name), with: Array("\(last)\n".utf8))
            } catch {
                logger.error("audit forwarder cannot save its cursor", metadata: ["error": "\(error)"])
            }
            condition.withLock {
                delivered = last
                condition.broadcast()
            }
        }
        condition.withLock {
            finished = true
            condition.broadcast()
        }
    }

    private var isStopping: Bool { condition.withLock { stopping } }

    /// Sleeps up to `seconds`, or until stopped; or until woken when `wakeable` (a backoff
    /// is not cut short by new records, or a busy log would hammer a sink that is down).
    private func pause(_ seconds: Double, wakeable: Bool = false) {
        condition.withLock {
            let deadline = Date(timeIntervalSinceNow: seconds)
            while !(wakeable && woken), !stopping {
                if !condition.wait(until: deadline) { break }
            }
            woken = false
        }
    }
}
