import Logging
import SLOWatchSync

/// Whether the data directory's writes succeed, per kind of write, with a count of every failure.
///
/// Every durable writer (the sample journal, snapshots, definitions, the violation log) reports each
/// attempt here. The service is *failing* while the newest attempt of any kind failed; `/healthz`
/// then answers 503 with the reason, and writes that need the failing storage answer 503
/// `storage_failed`. A change of state is logged once (an error on failing, a notice on recovery),
/// never once per attempt, so a disk that stays full does not flood the log.
///
/// Safe from any thread; reporting costs one uncontended lock.
final class StorageHealth: Sendable {
    /// A kind of durable write, failing or recovering independently of the others.
    enum Writer: String, Sendable, CaseIterable {
        /// Appends of acknowledged samples to the sample journal.
        case journal
        /// Snapshot writes (interval and shutdown).
        case snapshot
        /// Writes of SLO and metric definitions.
        case definitions
        /// Appends to the violation log.
        case eventLog = "event log"
    }

    /// The state as `/healthz` and `/metrics` report it.
    struct Status: Sendable, Equatable {
        /// The failing writers and the newest reason of each, in ``Writer`` order; empty when healthy.
        var failing: [(writer: Writer, reason: String)]
        /// Failed attempts since start, over all writers.
        var failures: UInt64

        /// Whether any writer's newest attempt failed.
        var isFailing: Bool { !failing.isEmpty }

        /// One sentence naming each failing writer and its reason, or nil when healthy.
        var reason: String? {
            guard isFailing else { return nil }
            return failing.map { "\($0.writer.rawValue): \($0.reason)" }.joined(separator: "; ")
        }

        static func == (lhs: Status, rhs: Status) -> Bool {
            lhs.failures == rhs.failures && lhs.failing.elementsEqual(rhs.failing) { $0 == $1 }
        }
    }

    private struct State {
        var reasons: [Writer: String] = [:]
        var failures: UInt64 = 0
    }

    private let state = PThreadLock(State())
    private let logger: Logger

    /// Creates a healthy state that logs its changes to `logger`.
    init(logger: Logger) {
        self.logger = logger
    }

    /// Records a failed attempt of `writer`; logs an error only when `writer` was healthy before.
    /// - Parameter reason: what failed, as a sentence naming the file and the system's error.
    func failed(_ writer: Writer, reason: String) {
        let wasHealthy = state.withLock { state in
            state.failures &+= 1
            return state.reasons.updateValue(reason, forKey: writer) == nil
        }
        if wasHealthy {
            logger.error("Storage is failing (\(writer.rawValue)): \(reason) Writes that need it answer 503.")
        }
    }

    /// Records a successful attempt of `writer`; logs a notice only when `writer` was failing before.
    func succeeded(_ writer: Writer) {
        let previous = state.withLock { $0.reasons.removeValue(forKey: writer) }
        if let previous {
            logger.notice("Storage has recovered (\(writer.rawValue)); it had failed: \(previous)")
        }
    }

    /// The newest reason `writer` failed for, or nil when its newest attempt succeeded.
    func failure(of writer: Writer) -> String? {
        state.withLock { $0.reasons[writer] }
    }

    /// The current state.
    var status: Status {
        state.withLock { state in
            let failing = Writer.allCases.compactMap { writer in
                state.reasons[writer].map { (writer: writer, reason: $0) }
            }
            return Status(failing: failing, failures: state.failures)
        }
    }
}
