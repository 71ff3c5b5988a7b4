extension SLOWatchService {
    /// The port the StatsD listener is bound to (UDP and TCP), while started with a
    /// ``ServiceConfiguration/statsdAddress``; nil otherwise.
    public var statsdPort: Int? { statsdListener.withLock { $0?.port } }

    /// Starts the StatsD listener when the configuration asks for one.
    /// - Throws: ``ServiceError`` naming the address when it cannot be bound.
    func startStatsD() throws(ServiceError) {
        guard let address = configuration.statsdAddress else { return }
        let limits = configuration.statsdLimits
        let ingest = StatsDIngest(
            registry: registry, counters: counters, wallClock: wallClock,
            log: StatsDLogLimiter(logger: logger, limits: limits), journal: journal)
        let listener = try StatsDListener(address: address, limits: limits, ingest: ingest)
        statsdListener.withLock { $0 = listener }
    }

    /// Stops the StatsD listener, if one runs; its port is free when this returns.
    func stopStatsD() {
        let listener = statsdListener.withLock { listener in
            defer { listener = nil }
            return listener
        }
        listener?.stop()
    }
}
