extension SLOMonitor {
    /// Replaces the SLO set. An SLO whose id and definition are unchanged keeps its rate limit and
    /// violating state; a changed or new SLO starts fresh.
    ///
    /// A removed or changed SLO whose violation was announced and has not recovered gets one
    /// `perf.slo_recovered` event with `reason` `slo_removed`, published now through the same path
    /// and counters as a check's events, describing the old definition. Its `actual` and `count` are
    /// those of the last check that computed a value. Waits for a check's delivery (not its
    /// evaluation), so do not call it from inside the publisher's `publish`. O(n) in the set's size.
    /// - Returns: the recoveries published.
    /// - Throws: ``SLOError/duplicateID(_:)`` when two SLOs share an id; the old set then stays.
    @discardableResult
    public func replaceSLOs(_ slos: [SLODefinition]) throws(SLOError) -> [SLOEvent] {
        try SLODefinition.validateSet(slos)
        let (events, stopped): ([SLOEvent], [String]) = edit { state, now, timestamp in
            let next = Dictionary(slos.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            let ended = state.trackers.filter { next[$0.slo.id] != $0.slo }
            let events = ended.compactMap {
                $0.endingRecovery(reason: .sloRemoved, now: now, timestamp: timestamp)
            }
            let burns = ended.flatMap { $0.endingBurns(now: now, timestamp: timestamp) }
            let stopped = ended.filter { $0.slo.budget != nil && next[$0.slo.id]?.budget == nil }.map(
                \.slo.id)
            var trackers: [SLOTracker] = []
            trackers.reserveCapacity(slos.count)
            var indexByID = [String: Int](minimumCapacity: slos.count)
            for slo in slos {
                indexByID[slo.id] = trackers.count
                if let kept = state.indexByID[slo.id].map({ state.trackers[$0] }), kept.slo == slo {
                    trackers.append(kept)
                } else {
                    trackers.append(SLOTracker(slo: slo, epoch: state.nextEpoch()))
                }
            }
            state.trackers = trackers
            state.indexByID = indexByID
            state.edits &+= 1
            return ((events, stopped), events.map(EventPayload.slo) + burns.map(EventPayload.burn))
        }
        updateCounting(started: slos, stopped: stopped)
        return events
    }

    /// Adds `slo` last, or replaces the SLO with its id in place (the set's order is kept).
    ///
    /// An unchanged definition keeps its tracker (rate limit and violating state) and changes nothing;
    /// a changed one starts fresh, and if its violation was announced and has not recovered, one
    /// `slo_removed` recovery for the old definition is published now, as ``replaceSLOs(_:)`` does.
    /// O(1) amortised, whatever the set's size. Waits for a check's delivery, not its evaluation.
    /// - Returns: whether the id was new, and the recovery published, if any.
    @discardableResult
    public func upsertSLO(_ slo: SLODefinition) -> (created: Bool, recoveries: [SLOEvent]) {
        let (outcome, hadBudget): ((created: Bool, recoveries: [SLOEvent]), Bool) = edit {
            state, now, timestamp in
            guard let index = state.indexByID[slo.id] else {
                state.indexByID[slo.id] = state.trackers.count
                state.trackers.append(SLOTracker(slo: slo, epoch: state.nextEpoch()))
                state.edits &+= 1
                return (((true, []), false), [])
            }
            let old = state.trackers[index]
            guard old.slo != slo else { return (((false, []), old.slo.budget != nil), []) }
            state.trackers[index] = SLOTracker(slo: slo, epoch: state.nextEpoch())
            state.edits &+= 1
            let events =
                old.endingRecovery(reason: .sloRemoved, now: now, timestamp: timestamp).map { [$0] } ?? []
            let burns = old.endingBurns(now: now, timestamp: timestamp)
            return (
                ((false, events), old.slo.budget != nil),
                events.map(EventPayload.slo) + burns.map(EventPayload.burn)
            )
        }
        updateCounting(started: [slo], stopped: hadBudget && slo.budget == nil ? [slo.id] : [])
        return outcome
    }

    /// Removes the SLO with `id`; if its violation was announced and has not recovered, one
    /// `slo_removed` recovery is published now, as ``replaceSLOs(_:)`` does.
    ///
    /// O(1) to find it, plus shifting the SLOs after it (O(n) at most). Waits for a check's delivery,
    /// not its evaluation.
    /// - Returns: the recoveries published, or nil when no SLO has that id (nothing changes).
    @discardableResult
    public func removeSLO(id: String) -> [SLOEvent]? {
        let events: [SLOEvent]? = edit { state, now, timestamp in
            guard let index = state.indexByID.removeValue(forKey: id) else { return (nil, []) }
            let old = state.trackers.remove(at: index)
            for later in index..<state.trackers.count {
                state.indexByID[state.trackers[later].slo.id] = later
            }
            state.edits &+= 1
            let events =
                old.endingRecovery(reason: .sloRemoved, now: now, timestamp: timestamp).map { [$0] } ?? []
            let burns = old.endingBurns(now: now, timestamp: timestamp)
            return (events, events.map(EventPayload.slo) + burns.map(EventPayload.burn))
        }
        if events != nil { updateCounting(started: [], stopped: [id]) }
        return events
    }

    /// Runs `change` under the state lock and delivers the events it returns, all with ``delivery``
    /// held, so that they cannot overtake, or be overtaken by, a check's events (see ``checkAll()``).
    /// - Parameter change: gets the state, the monotonic ns and the wall-clock ms of the edit; returns
    ///   the result and the events to publish.
    private func edit<Outcome>(
        _ change: (inout State, _ now: UInt64, _ timestamp: Double) -> (Outcome, [EventPayload])
    ) -> Outcome {
        delivery.withLock { _ in
            let (result, events, publisher) = state.withLock { state in
                let (result, events) = change(
                    &state, monotonicClock.nowNanoseconds(), wallClock.finiteNowMilliseconds())
                return (result, events, state.publisher)
            }
            deliver(events, to: publisher)
            return result
        }
    }
}
