import SLOWatchCore

extension SLOWatchService {
    /// The most SLOs the service checks; a `PUT` of a new one beyond this gets 422.
    static let maximumSLOs = 10_000

    /// Adds SLO `slo`, or replaces the one with its id in place (keeping the set's order; a new SLO
    /// goes last).
    ///
    /// Edits are serialised by ``sloEdits``, so two concurrent PUTs cannot lose one another. An
    /// unchanged definition keeps its rate limit and state; a changed one starts fresh, and if its
    /// violation was announced the monitor publishes a `slo_removed` recovery for the old definition.
    /// - Returns: `.created` or `.replaced`.
    /// With a data directory, the change is journaled before the monitor takes the new set, so the
    /// edit is durable when it is acknowledged.
    /// - Throws: 400 when an error budget's period is longer than the history's retention or its slice
    ///   not a whole number of the finest history slice; 422 `slo_limit_reached` when adding would
    ///   exceed ``maximumSLOs``; 422 `memory_limit_reached` when the budget SLO's exact counter does
    ///   not fit the memory budget; 503 `storage_failed` when the journal cannot be written (nothing is
    ///   changed then).
    func upsertSLO(_ slo: SLODefinition) throws(APIError) -> UpsertOutcome {
        do {
            try slo.budget?.check(slo: slo.id, against: registry.configuration.historyTiers)
        } catch {
            throw .invalidRequest("\(error.budgetField ?? "period"): \(error.message)")
        }
        return try sloEdits.withLock { _ throws(APIError) in
            // Edits are serialised here, so the answer cannot change before the monitor takes the edit.
            let outcome: UpsertOutcome = monitor.status(id: slo.id) == nil ? .created : .replaced
            guard outcome == .replaced || monitor.sloCount < Self.maximumSLOs else {
                throw APIError(
                    status: 422, code: "slo_limit_reached",
                    message:
                        "Cannot add the SLO \"\(slo.id)\": the limit of \(Self.maximumSLOs) SLOs is reached.")
            }
            let monitor = self.monitor
            do throws(MetricsError) {
                try monitor.startCountingBeforeEdit(slo)
            } catch {
                throw APIError(error)
            }
            do throws(APIError) {
                try commit(.sloUpsert(slo)) { _ = monitor.upsertSLO(slo) }
            } catch {
                monitor.undoCountingBeforeEdit(slo, previous: monitor.status(id: slo.id)?.slo)
                throw error
            }
            return outcome
        }
    }

    /// Removes the SLO with `id`; if its violation was announced, the monitor publishes a
    /// `slo_removed` recovery.
    /// - Returns: false when no SLO has that id.
    /// - Throws: 503 `storage_failed` when the journal cannot be written (the SLO stays).
    func removeSLO(id: String) throws(APIError) -> Bool {
        try sloEdits.withLock { _ throws(APIError) in
            guard monitor.status(id: id) != nil else { return false }
            let monitor = self.monitor
            try commit(.sloDelete(id)) { _ = monitor.removeSLO(id: id) }
            return true
        }
    }

    /// The one place that chooses where error-budget SLOs get their exact good/total counts when the
    /// caller passes none: the registry, which counts them at ingest.
    static func defaultBudgetCountSource(for registry: MetricsRegistry) -> (any BudgetCountSource)? {
        registry
    }

    /// Starts the registry's budget counter of each SLO in `slos` with a budget that fits the registry's
    /// history tiers (the monitor refuses the others later, naming them), as the monitor would.
    static func startCounting(_ slos: [SLODefinition], in registry: MetricsRegistry) {
        for slo in slos {
            guard let spec = slo.budgetCounterSpec,
                (try? slo.budget?.check(slo: slo.id, against: registry.configuration.historyTiers)) != nil
            else { continue }
            registry.startCounting(spec)
        }
    }

    /// The status of the SLO with `id`, or nil when there is none (one lookup, not a copy of the set).
    func sloStatus(id: String) -> SLOStatus? { monitor.status(id: id) }

    /// Applies `change` to the monitor with `apply`: directly without a data directory; with one, once
    /// `change` is journaled, on the journal's writer thread, recording its LSN as the SLOs' applied
    /// sequence. Call with ``sloEdits`` held (so the set cannot change meanwhile). Costs O(1) in the
    /// number of SLOs besides the journal write (a removal shifts the SLOs after it).
    /// - Throws: 503 `storage_failed` when the change could not be journaled (nothing changes then).
    private func commit(_ change: JournalRecord, apply: @escaping @Sendable () -> Void) throws(APIError) {
        guard let journal, let durable else {
            apply()
            return
        }
        let applied = journal.submitAndWait(change.encode()) { sequence in
            apply()
            durable.sloSequence.withLock { $0 = sequence }
            return true
        }
        guard applied != nil else { throw .notSaved(journal.health) }
    }
}
