import Dispatch
import Logging
import SLOWatchCore
import SLOWatchSync

/// Delivers alerts to one Alertmanager, on a serial queue of its own, so a slow or dead Alertmanager
/// delays neither the monitor, nor the bus, nor the other Alertmanagers.
///
/// It keeps the latest state of each alert waiting to be sent, by the alert's identity (its labels): a
/// newer state (the resolution of a firing alert, a re-send) replaces the waiting one, so the queue holds
/// at most one entry per alert and can never grow with time. Every post carries all the waiting alerts
/// (up to ``AlertDeliveryPolicy/maximumAlertsPerPost``). A failed post is retried with exponential
/// backoff per Alertmanager (0.5 s doubling to 30 s by default); a state that failed
/// ``AlertDeliveryPolicy/maximumAttempts`` times is given up and logged.
final class AlertmanagerTarget: Sendable {
    /// One alert state waiting to be sent.
    private struct Pending: Sendable {
        var alert: Alert
        /// Failed posts that carried this state.
        var attempts = 0
        /// Increases with every enqueued state, so a post's result is only applied to the state it sent.
        var version: UInt64
    }

    /// The target's mutable part, under ``state``.
    private struct State: Sendable {
        var pending: [String: Pending] = [:]
        var nextVersion: UInt64 = 0
        /// Failed posts in a row; 0 once one succeeds.
        var consecutiveFailures = 0
        /// No post before this monotonic time, in ns (the backoff).
        var notBeforeNanoseconds: UInt64 = 0
        /// A pump is queued and will see every state enqueued before it runs.
        var pumpQueued = false
        /// Bumped at every scheduled wake-up, so only the latest timer runs a pump.
        var wakeGeneration: UInt64 = 0
        /// `stop()` was called: nothing is scheduled any more.
        var stopped = false
        /// Rate-limits the failure warnings: when the last one was written (monotonic ns), and how many
        /// failures and give-ups were not reported since.
        var lastWarningNanoseconds: UInt64?
        var unreportedFailures = 0
    }

    /// Where this target posts.
    let endpoint: AlertmanagerEndpoint
    private let policy: AlertDeliveryPolicy
    private let client: AlertPostClient
    private let counters: ServiceCounters
    private let logger: Logger
    private let wallClock: any WallClock
    private let monotonicClock: any MonotonicClock
    private let state = PThreadLock(State())
    /// The one serial queue that posts to this Alertmanager.
    private let queue: DispatchQueue

    /// At most one failure warning per Alertmanager in this many ns (60 s); the next one says how many
    /// failures it stood for.
    private static let warningIntervalNanoseconds: UInt64 = 60_000_000_000

    /// Creates a target; nothing is sent until an alert is enqueued.
    init(
        endpoint: AlertmanagerEndpoint, policy: AlertDeliveryPolicy, counters: ServiceCounters,
        logger: Logger,
        wallClock: any WallClock, monotonicClock: any MonotonicClock
    ) {
        self.endpoint = endpoint
        self.policy = policy
        self.client = AlertPostClient(timeoutMilliseconds: policy.timeoutMilliseconds)
        self.counters = counters
        self.logger = logger
        self.wallClock = wallClock
        self.monotonicClock = monotonicClock
        self.queue = DispatchQueue(label: "slowatch.alertmanager \(endpoint)")
    }

    /// How many alert states wait to be sent.
    var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Queues the latest state of `alerts` (replacing older waiting states of the same alerts) and wakes
    /// the delivery queue. Never blocks on the network.
    func enqueue(_ alerts: [Alert]) {
        var dropped = 0
        let wake = state.withLock { state -> Bool in
            guard !state.stopped else { return false }
            for alert in alerts {
                if state.pending[alert.identity] == nil, state.pending.count >= policy.maximumPendingAlerts {
                    dropped += 1
                    continue
                }
                state.nextVersion += 1
                state.pending[alert.identity] = Pending(alert: alert, version: state.nextVersion)
            }
            guard !state.pumpQueued else { return false }
            state.pumpQueued = true
            return true
        }
        if dropped > 0 {
            let limit = policy.maximumPendingAlerts
            logger.warning(
                "Alertmanager \(endpoint): \(dropped) alert states dropped, because \(limit) are already waiting to be sent."
            )
        }
        if wake { queue.async { self.pump() } }
    }

    /// Stops scheduling posts, then makes one last attempt, within `milliseconds`, at delivering what
    /// waits (resolutions above all, so Alertmanager does not keep them firing until their `endsAt`).
    /// - Returns: a semaphore signalled when the last attempt is over, for the caller to wait on.
    func stop() -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        state.withLock { state in
            state.stopped = true
            state.wakeGeneration += 1
        }
        queue.async {
            if self.pendingCount > 0 { self.postDue(ignoringBackoff: true) }
            done.signal()
        }
        return done
    }

    /// Posts what is due, then schedules the next pump: at once while more is due, else at the end of
    /// the backoff or never (until the next enqueue). Runs on ``queue`` only.
    private func pump() {
        let backoffEnds: UInt64? = state.withLock { state in
            state.pumpQueued = false
            guard !state.stopped, !state.pending.isEmpty else { return nil }
            let now = monotonicClock.nowNanoseconds()
            return state.notBeforeNanoseconds > now ? state.notBeforeNanoseconds : 0
        }
        guard let backoffEnds else { return }
        if backoffEnds > 0 {
            schedule(at: backoffEnds)
            return
        }
        postDue(ignoringBackoff: false)
        let again = state.withLock { state -> Bool in
            guard !state.stopped, !state.pending.isEmpty, !state.pumpQueued else { return false }
            state.pumpQueued = true
            return true
        }
        if again { queue.async { self.pump() } }
    }

    /// Runs a pump at monotonic time `nanoseconds`, unless another wake-up or a stop comes first.
    private func schedule(at nanoseconds: UInt64) {
        let generation = state.withLock { state in
            state.wakeGeneration += 1
            return state.wakeGeneration
        }
        let delay = nanoseconds &- monotonicClock.nowNanoseconds()
        queue.asyncAfter(deadline: .now() + .nanoseconds(Int(min(delay, 3_600_000_000_000)))) {
            let current = self.state.withLock { state in
                guard state.wakeGeneration == generation, !state.pumpQueued else { return false }
                state.pumpQueued = true
                return true
            }
            if current { self.pump() }
        }
    }

    /// Posts the oldest waiting states (one post) and applies the outcome to the states it carried.
    private func postDue(ignoringBackoff: Bool) {
        let batch = state.withLock { state in
            Array(state.pending.values.sorted { $0.version < $1.version }.prefix(policy.maximumAlertsPerPost))
        }
        guard !batch.isEmpty else { return }
        let body = Alert.postBody(
            batch.map(\.alert), nowMilliseconds: wallClock.nowMilliseconds(),
            firingLeadMilliseconds: policy.firingLeadMilliseconds)
        let outcome = client.post(body, to: endpoint)
        let now = monotonicClock.nowNanoseconds()
        if outcome.isAccepted {
            ServiceCounters.add(batch.count, to: counters.alertsSent)
        } else {
            ServiceCounters.add(1, to: counters.alertDeliveryFailures)
        }
        let report = state.withLock { state in
            record(outcome, of: batch, now: now, in: &state)
        }
        if let report { logger.log(level: report.level, "\(report.message)") }
    }

    /// Applies a post's outcome: removes the delivered states, counts a failure against the others and
    /// gives up those out of attempts; sets the backoff. Returns a log line when one is due.
    private func record(
        _ outcome: AlertPostOutcome, of batch: [Pending], now: UInt64, in state: inout State
    ) -> (level: Logger.Level, message: String)? {
        if outcome.isAccepted {
            for sent in batch where state.pending[sent.alert.identity]?.version == sent.version {
                state.pending[sent.alert.identity] = nil
            }
            let recovered = state.consecutiveFailures > 0
            state.consecutiveFailures = 0
            state.notBeforeNanoseconds = 0
            state.lastWarningNanoseconds = nil
            state.unreportedFailures = 0
            return recovered ? (.info, "Alertmanager \(endpoint) accepts alerts again.") : nil
        }
        var givenUp = 0
        for sent in batch where state.pending[sent.alert.identity]?.version == sent.version {
            state.pending[sent.alert.identity]?.attempts += 1
            if sent.attempts + 1 >= policy.maximumAttempts {
                state.pending[sent.alert.identity] = nil
                givenUp += 1
            }
        }
        state.consecutiveFailures += 1
        let backoff = policy.backoffMilliseconds(afterFailures: state.consecutiveFailures)
        state.notBeforeNanoseconds = now &+ UInt64(max(0, backoff) * 1_000_000)
        state.unreportedFailures += 1
        if let last = state.lastWarningNanoseconds, now &- last < Self.warningIntervalNanoseconds,
            givenUp == 0
        {
            return nil
        }
        let others = state.unreportedFailures - 1
        state.lastWarningNanoseconds = now
        state.unreportedFailures = 0
        var message =
            "Alertmanager \(endpoint): posting \(batch.count) alert\(batch.count == 1 ? "" : "s") failed "
            + "(\(outcome.reason)); retrying in \(Alert.number(backoff / 1000)) s"
        if others > 0 { message += " (\(others) more failed posts since the last warning)" }
        if givenUp > 0 {
            message +=
                "; gave up on \(givenUp) alert state\(givenUp == 1 ? "" : "s") after "
                + "\(policy.maximumAttempts) attempts"
        }
        return (.warning, message + ".")
    }
}
