/// Exact error-budget counting at ingest (issue 16, section 3): the registry is the monitor's
/// ``BudgetCountSource``.
///
/// Counters are keyed by SLO id and live in the registration state, independent of their metric's
/// registration: a counter started before its metric exists is attached when the metric registers (by
/// `register`, `upsert`, a batch or a first sample); unregistering the metric detaches it and keeps its
/// counts; registering the name again attaches it again. Each counter's slots are reserved in the memory
/// budget under the purpose `budgetCounters` (see ``BudgetCounter/bytes(for:tiers:)``).
///
/// Locking: starts, stops and reads take the registration lock, then the metric's lock when the metric
/// is registered, the same order as registration. An attached counter is written by `append` under the
/// metric's lock; a detached one by no one.
extension MetricsRegistry: BudgetCountSource {
    /// The memory budget purpose that budget counters reserve under.
    static let budgetCounterPurpose = "budgetCounters"

    /// Starts counting `spec`, or keeps an identical running counter; a changed spec restarts it.
    ///
    /// A start that does not fit the memory budget starts nothing (the SLO's previous counter, if any,
    /// keeps running) and returns `Int64.max`: "never exact". Use ``tryStartCounting(_:)`` to get the
    /// error.
    /// - Returns: since when the counts are exact, in ms since the epoch: the start of the finest slice
    ///   of the first sample counted or, before the first, of the slice holding the wall clock's
    ///   reading now. Samples recorded before the start into that first slice are not in its counts.
    @discardableResult
    public func startCounting(_ spec: BudgetCounterSpec) -> Int64 {
        do {
            return try tryStartCounting(spec)
        } catch {
            return .max
        }
    }

    /// ``startCounting(_:)`` that throws when the counter does not fit the memory budget.
    ///
    /// A `Timeslices` rule's slice is taken in whole finest slices (rounded down, at least one); the SLO
    /// definition has checked that it is a whole multiple of the finest tier's slice.
    /// - Throws: `memoryLimitReached`, naming the SLO; nothing changes then.
    @discardableResult
    public func tryStartCounting(_ spec: BudgetCounterSpec) throws(MetricsError) -> Int64 {
        let tiers = configuration.historyTiers
        let now = BudgetCounter.clamped(nowMilliseconds(), ifNaN: 0).rounded(.down)
        return try registration.withLock { state throws(MetricsError) in
            let running = state.budgetCounters[spec.sloID]
            if let running, running.spec == spec { return running.exactSince }
            let bytes = BudgetCounter.bytes(for: spec, tiers: tiers)
            let held = running.map { BudgetCounter.bytes(for: $0.spec, tiers: tiers) } ?? 0
            try memory.adjust(
                [Self.budgetCounterPurpose: bytes - held],
                subject: "the budget counter of SLO \(spec.sloID.debugDescription)")
            let counter = BudgetCounter(spec: spec, tiers: tiers, startMilliseconds: Int64(now))
            if let running { detach(running, in: &state) }
            state.budgetCounters[spec.sloID] = counter
            attach(counter, backfilling: true, in: &state)
            return counter.exactSince
        }
    }

    /// Stops counting for `sloID`, frees its counts and gives back their memory; unknown ids are ignored.
    public func stopCounting(sloID: String) {
        registration.withLock { state in
            guard let counter = state.budgetCounters.removeValue(forKey: sloID) else { return }
            detach(counter, in: &state)
            memory.release(
                bytes: BudgetCounter.bytes(for: counter.spec, tiers: configuration.historyTiers),
                for: Self.budgetCounterPurpose)
        }
    }

    /// The counts of `sloID` over [from, to) in ms since the epoch, widened to the slice boundaries of
    /// the finest tier that still keeps `from` (see `BudgetCounter.counts(fromMilliseconds:toMilliseconds:)`);
    /// nil when no counter runs for it. Holds the metric's lock for one pass over the slices read (a few
    /// µs at most).
    public func budgetCounts(sloID: String, fromMilliseconds: Double, toMilliseconds: Double) -> BudgetCounts?
    {
        registration.withLock { state in
            guard let counter = state.budgetCounters[sloID] else { return nil }
            guard let metric = state.metrics[counter.spec.metric] else {
                return counter.counts(fromMilliseconds: fromMilliseconds, toMilliseconds: toMilliseconds)
            }
            return metric.withLock { _ in
                counter.counts(fromMilliseconds: fromMilliseconds, toMilliseconds: toMilliseconds)
            }
        }
    }

    /// The running counter of `sloID`, for tests that look at its slices; call its methods only while
    /// nothing records into its metric.
    func budgetCounter(sloID: String) -> BudgetCounter? {
        registration.withLock { $0.budgetCounters[sloID] }
    }

    /// Adds `counter` to its metric's set, and to the metric's state when it is registered.
    /// Adds `counter` to its metric's set, and to the metric's state when it is registered.
    /// - Parameter backfilling: whether to backfill the (new) counter from the metric's history first,
    ///   in the same hold of the metric's lock, so that no sample falls between the two.
    private func attach(_ counter: BudgetCounter, backfilling: Bool = false, in state: inout Registration) {
        let metric = counter.spec.metric
        let others = state.countersByMetric[metric]?.counters ?? []
        replaceSet(of: metric, with: others + [counter], backfilling: backfilling ? counter : nil, in: &state)
    }

    /// Removes `counter` from its metric's set, and from the metric's state when it is registered.
    private func detach(_ counter: BudgetCounter, in state: inout Registration) {
        let metric = counter.spec.metric
        let others = (state.countersByMetric[metric]?.counters ?? []).filter { $0 !== counter }
        replaceSet(of: metric, with: others, in: &state)
    }

    private func replaceSet(
        of metric: String, with counters: [BudgetCounter], backfilling: BudgetCounter? = nil,
        in state: inout Registration
    ) {
        let set = counters.isEmpty ? nil : BudgetCounterSet(counters, tiers: configuration.historyTiers)
        state.countersByMetric[metric] = set
        state.metrics[metric]?.withLock { metricState in
            backfilling?.backfill(from: metricState.history)
            metricState.counters = set
        }
    }
}
