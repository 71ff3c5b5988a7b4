extension MetricsRegistry {
    /// Handles for every name of a batch, registering the unknown ones all together or not at all.
    ///
    /// Unknown names are checked first (auto-registration on, valid names), then registered under one
    /// hold of the registration lock, after checking that all of them fit the metric limit and the
    /// memory budget together: a batch that would pass either registers none of its new metrics.
    /// - Parameter names: distinct metric names, in the batch's order.
    /// - Returns: one handle per name, in the same order.
    /// - Throws: `unknownMetric` (auto-registration off), `invalidName`, `invalidCapacity`,
    ///   `metricLimitReached` or `memoryLimitReached`; nothing is registered then.
    package func handles(for names: [String]) throws(MetricsError) -> [MetricHandle] {
        var found = names.map(lookup)
        let missing = found.indices.filter { found[$0] == nil }
        guard !missing.isEmpty else { return zip(names, found).compactMap(Self.handle) }
        var definitions: [MetricDefinition] = []
        definitions.reserveCapacity(missing.count)
        for position in missing { definitions.append(try autoDefinition(names[position])) }
        let limit = max(0, configuration.maxMetrics)
        let created = try registration.withLock { state throws(MetricsError) -> [MetricStorage?] in
            // Registered by someone else since the lookup: taken as found.
            let fresh = definitions.filter { state.metrics[$0.name] == nil }
            guard state.metrics.count + fresh.count <= limit else {
                // Named as one at a time would be: the first new metric that finds no room.
                let firstOver = fresh[min(fresh.count - 1, max(0, limit - state.metrics.count))]
                throw .metricLimitReached(firstOver.name, limit: limit)
            }
            let subject =
                fresh.count == 1
                ? Self.subject(fresh[0].name)
                : "a batch of \(fresh.count) new metrics (\(Self.subject(fresh.first?.name ?? "")) first)"
            try reserveMemory(for: fresh.map { ($0.name, $0.capacity) }, subject: subject, in: &state)
            var index = state.index
            for definition in fresh {
                state.lastRegistrationID += 1
                let storage = try MetricStorage(
                    definition: definition, registrationID: state.lastRegistrationID,
                    history: newHistory(), counters: state.countersByMetric[definition.name],
                    historyAccount: historyMemory)
                state.metrics[definition.name] = storage
                index = index.adding(definition.name, storage)
            }
            if !fresh.isEmpty { publish(index, in: &state) }
            return definitions.map { state.metrics[$0.name] }
        }
        for (position, storage) in zip(missing, created) { found[position] = storage }
        return zip(names, found).compactMap(Self.handle)
    }

    private static func handle(_ name: String, _ storage: MetricStorage?) -> MetricHandle? {
        storage.map { MetricHandle(name: name, storage: $0) }
    }

    /// How a metric is named in a memory error: `metric "q3"`.
    static func subject(_ name: String) -> String {
        "metric " + (name.count > 140 ? String(name.prefix(140)) + "…" : name).debugDescription
    }

    /// Reserves the memory for `changes` (metric name → new capacity), all or nothing; call with the
    /// registration lock held, before changing anything else.
    /// - Throws: `memoryLimitReached`, reserving nothing.
    func reserveMemory(
        for changes: [(name: String, capacity: Int?)], subject: String? = nil, in state: inout Registration
    ) throws(MetricsError) {
        let deltas = state.reservations.deltas(changes)
        try memory.adjust(deltas, subject: subject ?? changes.first.map { Self.subject($0.name) } ?? "")
        state.reservations.apply(changes)
    }

    /// Gives back the memory reserved for `name`; call with the registration lock held.
    func releaseMemory(of name: String, in state: inout Registration) {
        let changes: [(name: String, capacity: Int?)] = [(name, nil)]
        memory.apply(state.reservations.deltas(changes))
        state.reservations.apply(changes)
    }
}
