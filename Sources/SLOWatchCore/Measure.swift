extension MetricsRegistry {
    /// Runs `body` and records how long it took into `metric`, in ms on the monotonic clock.
    ///
    /// The duration is recorded whether `body` returns or throws: a failed operation took time too.
    /// It uses no mark slot, so it never overflows. A sample the metric refuses (unknown metric with
    /// auto-registration off, invalid name) is dropped silently, and the body's result is returned.
    /// - Returns: what `body` returns.
    @discardableResult
    public func measure<Result>(_ metric: String, _ body: () throws -> Result) rethrows -> Result {
        let start = nowNanoseconds()
        defer { recordDuration(metric, since: start) }
        return try body()
    }

    /// Awaits `body` and records how long it took into `metric`, in ms on the monotonic clock,
    /// whether it returns or throws. Runs on the caller's executor. See the synchronous `measure`.
    /// - Returns: what `body` returns.
    @discardableResult
    nonisolated(nonsending) public func measure<Result>(
        _ metric: String, _ body: () async throws -> Result
    ) async rethrows -> Result {
        let start = nowNanoseconds()
        defer { recordDuration(metric, since: start) }
        return try await body()
    }

    private func recordDuration(_ metric: String, since start: UInt64) {
        try? recordElapsed(metric, from: start, to: nowNanoseconds())
    }
}
