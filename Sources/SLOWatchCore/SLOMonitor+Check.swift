extension SLOMonitor {
    /// Checks every SLO once, publishes the events (or logs them when no publisher is attached) and
    /// returns them. Checks never overlap: a second caller waits for the first.
    ///
    /// The evaluation runs on a copy of the trackers, outside the state lock, so edits
    /// (``upsertSLO(_:)``, ``removeSLO(id:)``, ``replaceSLOs(_:)``) and status reads never wait for it.
    /// The results merge back under the lock: an SLO added, changed or removed meanwhile keeps the edit,
    /// and the check's event for it is dropped (the check judged a definition that no longer exists).
    ///
    /// Ordering rule: per SLO, events leave in the order they were judged. The check holds the
    /// delivery lock from its merge to the end of its delivery, and an edit holds it around its change
    /// and the delivery of its `slo_removed` recovery; so an edit's recovery never overtakes a check
    /// event that was merged before it, and a check event judged before the edit is dropped rather
    /// than delivered after the edit's recovery.
    @discardableResult
    public func checkAll() -> [SLOEvent] {
        checkSerial.withLock { _ in
            let start = monotonicClock.nowNanoseconds()
            var (trackers, edits) = state.withLock { ($0.trackers, $0.edits) }
            var judged = evaluate(&trackers).map { (index: $0.index, payload: EventPayload.slo($0.event)) }
            judged += evaluateBudgets(&trackers).map {
                (index: $0.index, payload: EventPayload.burn($0.event))
            }
            let evaluated = monotonicClock.nowNanoseconds()
            let payloads = delivery.withLock { _ in
                let (payloads, publisher) = state.withLock { state in
                    (merge(trackers, judged: judged, editsAtCopy: edits, into: &state), state.publisher)
                }
                deliver(payloads, to: publisher)
                return payloads
            }
            counters.checks.add(1, ordering: .relaxed)
            record(start: start, evaluated: evaluated, events: payloads.count, sloCount: trackers.count)
            return payloads.compactMap(\.sloEvent)
        }
    }

    /// Writes a check's evaluated trackers back and returns the events still valid: the percentile
    /// events in SLO order, then the burn events in SLO order.
    ///
    /// When no edit ran since the copy, the copy replaces the set whole (O(1)); otherwise each tracker
    /// merges into the current one of the same id and epoch (O(n)), and the events of the others drop.
    private func merge(
        _ trackers: [SLOTracker], judged: [(index: Int, payload: EventPayload)], editsAtCopy: UInt64,
        into state: inout State
    ) -> [EventPayload] {
        if state.edits == editsAtCopy {
            state.trackers = trackers
            return judged.map(\.payload)
        }
        var current = [Bool](repeating: false, count: trackers.count)
        for (index, tracker) in trackers.enumerated() {
            guard let position = state.indexByID[tracker.slo.id],
                state.trackers[position].epoch == tracker.epoch
            else { continue }
            state.trackers[position] = tracker
            current[index] = true
        }
        return judged.compactMap { current[$0.index] ? $0.payload : nil }
    }

    /// Times the evaluation and the hand-off apart: with thousands of stream subscribers the hand-off
    /// alone can take tens of ms, which is not a slow evaluation. Times are monotonic ns.
    private func record(start: UInt64, evaluated: UInt64, events: Int, sloCount: Int) {
        let evaluationMilliseconds = elapsedMilliseconds(from: start, to: evaluated)
        counters.recordLongest(
            evaluated > start ? evaluated - start : 0, in: counters.longestEvaluationNanoseconds)
        let slowCheckMilliseconds = configuration.slowCheck.milliseconds
        if evaluationMilliseconds > slowCheckMilliseconds {
            counters.slowChecks.add(1, ordering: .relaxed)
            logger.log(
                .warning,
                "slow SLO check: \(evaluationMilliseconds) ms for \(sloCount) SLOs "
                    + "(limit \(slowCheckMilliseconds) ms)")
        }
        guard events > 0 else { return }
        let delivered = monotonicClock.nowNanoseconds()
        counters.recordLongest(
            delivered > evaluated ? delivered - evaluated : 0, in: counters.longestDeliveryNanoseconds)
        let deliveryMilliseconds = elapsedMilliseconds(from: evaluated, to: delivered)
        if deliveryMilliseconds > slowCheckMilliseconds {
            logger.log(
                .warning,
                "slow event delivery: \(deliveryMilliseconds) ms to publish \(events) events "
                    + "to the bus and its subscribers (limit \(slowCheckMilliseconds) ms)")
        }
    }

    /// Counts the events (SLO and burn payloads) and hands them to the publisher, or to the logger when
    /// there is none. Call with ``delivery`` held.
    func deliver(_ payloads: [EventPayload], to publisher: (any EventPublishing)?) {
        guard !payloads.isEmpty else { return }
        violationsBySLO.withLock { counts in
            for case .slo(let event) in payloads where event.kind == .violation {
                counts[event.slo, default: 0] &+= 1
            }
        }
        for payload in payloads {
            let line: String
            switch payload {
            case .slo(let event):
                line = event.description
                switch event.kind {
                case .violation: counters.violationsEmitted.add(1, ordering: .relaxed)
                case .recovery: counters.recoveriesEmitted.add(1, ordering: .relaxed)
                }
            case .burn(let event):
                line = event.description
                switch event.kind {
                case .alert: counters.burnAlertsEmitted.add(1, ordering: .relaxed)
                case .resolved: counters.burnResolutionsEmitted.add(1, ordering: .relaxed)
                }
            case .fields: line = payload.description
            }
            guard let publisher, let topic = payload.topic else {
                logger.log(.warning, line)
                continue
            }
            do {
                try publisher.publish(topic: topic, payload: payload)
            } catch {
                counters.publishFailures.add(1, ordering: .relaxed)
                logger.log(.error, "SLO monitor: publishing failed (\(error)); \(line)")
            }
        }
    }
}
