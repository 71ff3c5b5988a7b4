import Dispatch
import Logging
import SLOWatchCore
import SLOWatchSync

/// Turns SLO violations and recoveries into Alertmanager alerts and hands them to one
/// ``AlertmanagerTarget`` per configured Alertmanager.
///
/// It is a bus subscriber with its own bounded queue, like an event stream, so the monitor never waits
/// for it; its handler only updates the set of firing alerts and queues their new state, and the network
/// is left to the targets' queues.
///
/// - A violation makes its SLO's alert fire. A repeated violation of the same breach (after the rate
///   window) keeps the alert's `startsAt` and refreshes its summary.
/// - Every ``AlertDeliveryPolicy/resendIntervalMilliseconds`` (1 minute), every firing alert is queued
///   again, with `endsAt` = send time + 4 × the interval, as Prometheus does, so Alertmanager keeps it
///   firing while slowatch says so and resolves it by itself if slowatch goes quiet.
/// - A recovery (whatever its reason: back within the threshold, the metric reset, the SLO removed or
///   changed) sends the same labels with `endsAt` = the recovery's time, then forgets the alert.
/// - A burn-rate tier's `perf.slo_burn_alert` fires `SLOBurnRate` with `tier` and `severity` labels,
///   re-sent like a violation while it fires; its `perf.slo_burn_resolved` sends it with `endsAt`.
final class AlertForwarder: Sendable {
    /// The forwarder's mutable part, under ``state``.
    private struct State: Sendable {
        /// The firing alerts, by SLO id.
        var firing: [String: Alert] = [:]
        /// The bus subscription, while started.
        var subscription: EventBus.Subscription?
        /// The sequence of the last event handled, to resume after it if the bus drops the subscriber.
        var lastSequence: UInt64 = 0
        /// Bumped by `start` and `stop`, so a tick of an older resend loop schedules nothing more.
        var resendGeneration: UInt64 = 0
        var stopped = true
    }

    /// One per Alertmanager, in the configured order.
    let targets: [AlertmanagerTarget]
    private let bus: EventBus
    private let policy: AlertDeliveryPolicy
    /// `http://host:port` of this service, for each alert's `generatorURL`.
    private let generatorBase: String
    private let queueCapacity: Int
    private let logger: Logger
    private let state = PThreadLock(State())
    /// The serial queue of the resend timer.
    private let resendQueue = DispatchQueue(label: "slowatch.alerts.resend")

    /// How long ``stop()`` waits for the last delivery attempt, in ms: short, because shutdown has a
    /// budget of its own, and an undelivered resolution still ends at its firing `endsAt`.
    static let stopFlushMilliseconds = 2_000

    /// Creates the forwarder; nothing is subscribed or sent until ``start()``.
    /// - Parameters:
    ///   - endpoints: the Alertmanagers; each gets every alert.
    ///   - policy: re-send interval, timeouts, backoff and bounds.
    ///   - generatorBase: `http://host:port` of this service.
    ///   - bus: where violations and recoveries are published.
    ///   - queueCapacity: the most events that may wait for the handler before the bus drops it.
    init(
        endpoints: [AlertmanagerEndpoint], policy: AlertDeliveryPolicy, generatorBase: String, bus: EventBus,
        queueCapacity: Int, counters: ServiceCounters, logger: Logger, wallClock: any WallClock,
        monotonicClock: any MonotonicClock
    ) {
        targets = endpoints.map {
            AlertmanagerTarget(
                endpoint: $0, policy: policy, counters: counters, logger: logger, wallClock: wallClock,
                monotonicClock: monotonicClock)
        }
        self.bus = bus
        self.policy = policy
        self.generatorBase = generatorBase
        self.queueCapacity = max(1, queueCapacity)
        self.logger = logger
    }

    /// The firing alerts, by SLO id, and burn-rate alerts by `burn NUL slo NUL tier` (for tests and the log).
    var firing: [String: Alert] { state.withLock { $0.firing } }

    /// Subscribes to the bus (live events only) and starts the resend timer.
    func start() {
        let generation = state.withLock { state in
            state.stopped = false
            state.resendGeneration += 1
            state.lastSequence = bus.lastSequence
            return state.resendGeneration
        }
        subscribe(after: nil)
        scheduleResend(generation: generation)
    }

    /// Unsubscribes, stops the resend timer, and gives every target one last chance, within
    /// ``stopFlushMilliseconds`` in all, to deliver what waits.
    func stop() {
        let subscription = state.withLock { state in
            state.stopped = true
            state.resendGeneration += 1
            defer { state.subscription = nil }
            return state.subscription
        }
        subscription?.cancel()
        let finished = targets.map { $0.stop() }
        let deadline = DispatchTime.now() + .milliseconds(Self.stopFlushMilliseconds)
        for semaphore in finished where semaphore.wait(timeout: deadline) == .timedOut {
            logger.warning(
                "Stopped with alerts not yet delivered to an Alertmanager (it did not answer in time).")
            break
        }
    }

    /// Subscribes the handler, resuming after `sequence` when given.
    private func subscribe(after sequence: UInt64?) {
        do {
            let subscription = try bus.subscribe(
                topics: [
                    SLOEvent.violationTopic, SLOEvent.recoveredTopic, SLOBurnEvent.alertTopic,
                    SLOBurnEvent.resolvedTopic,
                ], after: sequence,
                queueCapacity: queueCapacity, handler: { [weak self] in self?.handle($0) },
                onDrop: { [weak self] in self?.dropped($0) })
            let keep = state.withLock { state in
                guard !state.stopped else { return false }
                state.subscription = subscription
                return true
            }
            if !keep { subscription.cancel() }
        } catch {
            logger.error("The Alertmanager forwarder could not subscribe to events: \(error.message)")
        }
    }

    /// The bus dropped the handler (it fell `capacity` events behind): subscribe again, replaying the
    /// history after the last event handled, so no violation or recovery in the history is missed.
    private func dropped(_ reason: SubscriptionDropReason) {
        let resume: UInt64? = state.withLock { state in
            guard !state.stopped else { return nil }
            state.subscription = nil
            return state.lastSequence
        }
        guard let resume else { return }
        switch reason {
        case .queueOverflow(let capacity):
            logger.warning(
                "The Alertmanager forwarder fell \(capacity) events behind and was dropped by the bus; subscribing again from event #\(resume + 1)."
            )
        }
        subscribe(after: resume)
    }

    /// Updates the firing set for one event and queues the alert's new state on every target.
    private func handle(_ event: Event) {
        if case .burn(let burn) = event.payload {
            handle(burn, sequence: event.sequence)
            return
        }
        guard case .slo(let sloEvent) = event.payload else { return }
        state.withLock { state in
            guard !state.stopped else { return }
            state.lastSequence = max(state.lastSequence, event.sequence)
            var changed: [Alert] = []
            let current = state.firing[sloEvent.slo]
            switch sloEvent.kind {
            case .violation:
                var alert = Alert(
                    event: sloEvent, startsAtMilliseconds: sloEvent.timestamp, generatorBase: generatorBase)
                if let current {
                    if current.identity == alert.identity {
                        // The same breach announced again: Alertmanager must see the same start.
                        alert = Alert(
                            event: sloEvent, startsAtMilliseconds: current.startsAtMilliseconds,
                            generatorBase: generatorBase)
                    } else {
                        // New labels without a recovery in between; end the old alert rather than orphan it.
                        var ended = current
                        ended.endsAtMilliseconds = max(sloEvent.timestamp, current.startsAtMilliseconds)
                        changed.append(ended)
                    }
                }
                state.firing[sloEvent.slo] = alert
                changed.append(alert)
            case .recovery:
                let started =
                    current?.startsAtMilliseconds ?? sloEvent.timestamp - (sloEvent.violatingForMs ?? 0)
                changed.append(
                    Alert(event: sloEvent, startsAtMilliseconds: started, generatorBase: generatorBase))
                state.firing[sloEvent.slo] = nil
            }
            // Queued under the lock, so a resend tick cannot slip a firing state in after a resolution.
            for target in targets { target.enqueue(changed) }
        }
    }

    /// Updates the firing set for one burn event: an alert fires `SLOBurnRate` for its SLO and tier (kept
    /// under the key `burn NUL slo NUL tier`, apart from the SLO's violation alert), a resolution sends it
    /// with `endsAt` and forgets it. A repeated alert of a firing tier keeps its `startsAt`.
    private func handle(_ burn: SLOBurnEvent, sequence: UInt64) {
        let key = "burn\u{0}\(burn.slo)\u{0}\(burn.tier)"
        state.withLock { state in
            guard !state.stopped else { return }
            state.lastSequence = max(state.lastSequence, sequence)
            let started =
                state.firing[key]?.startsAtMilliseconds
                ?? (burn.kind == .alert ? burn.timestamp : burn.timestamp - (burn.firingForMs ?? 0))
            let alert = Alert(burn: burn, startsAtMilliseconds: started, generatorBase: generatorBase)
            state.firing[key] = burn.kind == .alert ? alert : nil
            for target in targets { target.enqueue([alert]) }
        }
    }

    /// Runs a resend tick of loop `generation` one interval from now.
    private func scheduleResend(generation: UInt64) {
        let nanoseconds = Int(min(max(policy.resendIntervalMilliseconds, 1), 86_400_000) * 1_000_000)
        resendQueue.asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { [weak self] in
            self?.resendTick(generation: generation)
        }
    }

    /// Queues every firing alert again, then schedules the next tick if still current.
    private func resendTick(generation: UInt64) {
        let current = state.withLock { state -> Bool in
            guard state.resendGeneration == generation, !state.stopped else { return false }
            let alerts = Array(state.firing.values)
            if !alerts.isEmpty { for target in targets { target.enqueue(alerts) } }
            return true
        }
        if current { scheduleResend(generation: generation) }
    }
}
