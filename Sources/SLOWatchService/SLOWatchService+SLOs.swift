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
    /// With a data directory, the definitions file is written before the monitor takes the new set, so
    /// the edit is durable when it is acknowledged.
    /// - Throws: 422 `slo_limit_reached` when adding would exceed ``maximumSLOs``; 503 `storage_failed`
    ///   when the definitions file cannot be written (nothing is changed then).
    func upsertSLO(_ slo: SLODefinition) throws(APIError) -> UpsertOutcome {
        try sloEdits.withLock { _ throws(APIError) in
            var slos = monitor.slos
            let outcome: UpsertOutcome
            if let index = slos.firstIndex(where: { $0.id == slo.id }) {
                slos[index] = slo
                outcome = .replaced
            } else {
                guard slos.count < Self.maximumSLOs else {
                    throw APIError(
                        status: 422, code: "slo_limit_reached",
                        message:
                            "Cannot add the SLO \"\(slo.id)\": the limit of \(Self.maximumSLOs) SLOs is reached."
                    )
                }
                slos.append(slo)
                outcome = .created
            }
            try saveDefinitions(slos: slos, metrics: registry.list().map(\.definition))
            do throws(SLOError) {
                try monitor.replaceSLOs(slos)
            } catch {
                // Unreachable: ids stay unique, since a known id is replaced in place.
                throw .invalidRequest(error.message)
            }
            return outcome
        }
    }

    /// Removes the SLO with `id`; if its violation was announced, the monitor publishes a
    /// `slo_removed` recovery.
    /// - Returns: false when no SLO has that id.
    /// - Throws: 503 `storage_failed` when the definitions file cannot be written (the SLO stays).
    func removeSLO(id: String) throws(APIError) -> Bool {
        try sloEdits.withLock { _ throws(APIError) in
            var slos = monitor.slos
            guard let index = slos.firstIndex(where: { $0.id == id }) else { return false }
            slos.remove(at: index)
            try saveDefinitions(slos: slos, metrics: registry.list().map(\.definition))
            // Removing cannot create a duplicate id, so this cannot throw.
            return (try? monitor.replaceSLOs(slos)) != nil
        }
    }

    /// The status of the SLO with `id`, or nil when there is none.
    func sloStatus(id: String) -> SLOStatus? {
        monitor.statuses.first { $0.slo.id == id }
    }
}
