extension MetricsRegistry {
    /// Exact nearest-rank statistics of `name`'s samples.
    ///
    /// Each quantile q gives the ⌈q·n⌉-th smallest of the n samples used (the minimum for q = 0), found
    /// by selection on one scratch copy rather than by sorting. The default answer (no window) is cached
    /// per metric until its next write, and also serves requests whose extra quantiles are among 0,
    /// 0.5, 0.9, 0.95, 0.99, 0.999 and 1, as an SLO check's usually are.
    /// - Parameters:
    ///   - name: the metric.
    ///   - quantiles: extra quantiles in [0, 1], reported in `quantiles` in the order asked.
    ///   - window: when set, only samples with timestamp ≥ now − window count; must not be negative.
    /// - Returns: the summary; `count` 0 with nil statistics when no sample qualifies.
    /// - Throws: `invalidQuantile`, `invalidWindow` or `unknownMetric`.
    public func percentiles(
        for name: String,
        quantiles: [Double] = [],
        window: Duration? = nil
    ) throws(MetricsError) -> PercentileSummary {
        try percentiles(for: name, quantiles: quantiles, windowMilliseconds: window?.milliseconds)
    }

    /// ``percentiles(for:quantiles:window:)`` with the window in ms, as the service's query string and
    /// SLO definitions carry it.
    /// - Throws: `invalidQuantile`, `invalidWindow` (negative or NaN) or `unknownMetric`.
    package func percentiles(
        for name: String,
        quantiles: [Double] = [],
        windowMilliseconds: Double?
    ) throws(MetricsError) -> PercentileSummary {
        try definedPercentiles(for: name, quantiles: quantiles, windowMilliseconds: windowMilliseconds)
            .summary
    }

    /// ``percentiles(for:quantiles:window:)`` together with the definition of the same
    /// registration, found in one lookup: a DELETE and re-registration in between cannot pair one
    /// metric's unit with another's samples.
    /// - Throws: `invalidQuantile`, `invalidWindow` or `unknownMetric`.
    package func definedPercentiles(
        for name: String, quantiles: [Double] = [], windowMilliseconds: Double? = nil
    ) throws(MetricsError) -> (definition: MetricDefinition, summary: PercentileSummary) {
        for quantile in quantiles where !(quantile >= 0 && quantile <= 1) {
            throw .invalidQuantile(quantile)
        }
        if let window = windowMilliseconds, !(window >= 0) { throw .invalidWindow(milliseconds: window) }
        guard let metric = lookup(name) else { throw .unknownMetric(name) }
        let definition = metric.withLock { $0.definition }
        return (definition, summary(of: metric, quantiles: quantiles, windowMilliseconds: windowMilliseconds))
    }

    /// ``percentiles(for:quantiles:windowMilliseconds:)`` of a metric already looked up, with checked
    /// arguments.
    /// - Parameters:
    ///   - cachingQueries: whether an answer with extra quantiles or a window may come from, and go
    ///     into, the metric's ``PercentileQueryCache``; false computes it afresh (for tests that compare).
    ///   - now: the wall time the window ends at, ms; nil reads the clock.
    func summary(
        of metric: MetricStorage, quantiles: [Double] = [], windowMilliseconds: Double? = nil,
        cachingQueries: Bool = true, now: Double? = nil
    ) -> PercentileSummary {
        // Answers that the cached default summary holds: no window, and only quantiles it carries.
        let cacheable = windowMilliseconds == nil && quantiles.allSatisfy(Self.isCarriedByDefaultSummary)
        let now = now ?? nowMilliseconds()
        let cutoff = windowMilliseconds.map { now - $0 }
        // Any other answer is computed for, and kept under, its canonical query.
        let query =
            cacheable ? nil : PercentileQuery(quantiles: quantiles, window: windowMilliseconds, cut: cutoff)
        let extra = query?.quantiles ?? []

        let (hit, sizeHint) = metric.withLock { state in
            if let query {
                let hit = cachingQueries ? query.answer(from: &state.queries, version: state.version) : nil
                return (hit, state.buffer.count)
            }
            let hit = state.cached.flatMap { $0.version == state.version ? $0.summary : nil }
            return (hit, state.buffer.count)
        }
        if let hit { return query?.ordered(hit, as: quantiles) ?? Self.adding(quantiles, to: hit) }

        // One value (8 B) per sample: a slot of the bounded scratch pool, which may wait for one.
        let scratch = scratchPool.take(count: sizeHint)
        defer { scratchPool.giveBack(scratch) }
        // Copy under the lock (a bulk copy, or a filtered one for a window) and select outside it.
        let (version, copied): (UInt64, RingCopy?) = metric.withLock { state in
            scratchPool.reserve(scratch, state.buffer.count)
            guard let cutoff else {
                let all = state.buffer.copyValues(into: scratch.pointer)
                return (state.version, RingCopy(count: all.count, oldest: all.oldest, newest: all.newest))
            }
            // The ring no longer holds every sample of the window: history answers instead.
            // (A NaN cutoff, from a broken clock, keeps the ring's answer: no sample.)
            let evicted = state.buffer.newestEvicted
            if cutoff.isFinite, evicted >= cutoff { return (state.version, nil) }
            let kept = state.buffer.copyValues(into: scratch.pointer, since: cutoff)
            return (
                state.version,
                RingCopy(
                    count: kept.count, oldest: kept.oldest, newest: kept.newest,
                    cuts: (max(kept.skipped, evicted), kept.count > 0 ? kept.oldest : .infinity))
            )
        }
        guard let copied else {
            return historySummary(of: metric, quantiles: quantiles, from: cutoff ?? now, now: now)
        }
        let values = UnsafeMutableBufferPointer(start: scratch.pointer, count: copied.count)
        let summary = Self.summarize(values, oldest: copied.oldest, newest: copied.newest, extra: extra)
        if let query {
            if cachingQueries {
                metric.withLock { state in
                    if state.version == version {
                        query.keep(summary, cuts: copied.cuts, in: &state.queries, version: version)
                    }
                }
            }
            return query.ordered(summary, as: quantiles)
        }
        metric.withLock { state in
            if state.version == version { state.cached = (version, summary) }
        }
        return Self.adding(quantiles, to: summary)
    }

    /// Whether the default summary already holds quantile `q`: 0 (min), the standard ones, 1 (max).
    private static func isCarriedByDefaultSummary(_ q: Double) -> Bool {
        PercentileSummary.carriedQuantiles.contains { $0.quantile == q }
    }

    /// `summary` with `quantiles` (each carried by the default summary) filled in from its fields.
    private static func adding(_ quantiles: [Double], to summary: PercentileSummary) -> PercentileSummary {
        guard !quantiles.isEmpty, summary.count > 0 else { return summary }
        var result = summary
        result.quantiles = quantiles.map {
            QuantileValue(quantile: $0, value: summary.value(atQuantile: $0) ?? .nan)
        }
        return result
    }

    /// Computes the statistics of `values`, reordering them.
    /// - Parameters:
    ///   - values: the samples; must not contain NaN.
    ///   - oldest: the smallest timestamp among them, ms.
    ///   - newest: the largest timestamp among them, ms.
    ///   - extra: extra quantiles in [0, 1].
    static func summarize(
        _ values: UnsafeMutableBufferPointer<Double>, oldest: Double, newest: Double, extra: [Double]
    ) -> PercentileSummary {
        let count = values.count
        guard count > 0 else { return .empty }
        let (smallest, largest, sum) = SampleScan.minMaxSum(UnsafeBufferPointer(values))
        var mean = sum / Double(count)
        if !mean.isFinite {
            // The sum overflowed; dividing first keeps every term finite.
            mean = values.reduce(0) { $0 + $1 / Double(count) }
        }

        let standard = PercentileSummary.standardQuantiles
        // 0-based ranks, in the order of `standard + extra`.
        let ranks = (standard + extra).map { QuantileSelection.rank(of: $0, count: count) - 1 }
        // The minimum and maximum are already known, so their ranks need no selection.
        var interior: [Int] = []
        interior.reserveCapacity(ranks.count)
        for rank in ranks.sorted() where rank != 0 && rank != count - 1 && rank != interior.last {
            interior.append(rank)
        }
        QuantileSelection.select(values, ranks: interior)

        func value(atRank rank: Int) -> Double {
            if rank == 0 { return smallest }
            if rank == count - 1 { return largest }
            return values[rank]
        }
        return PercentileSummary(
            count: count, min: smallest, max: largest, mean: mean, sum: sum,
            p50: value(atRank: ranks[0]), p90: value(atRank: ranks[1]), p95: value(atRank: ranks[2]),
            p99: value(atRank: ranks[3]), p999: value(atRank: ranks[4]),
            quantiles: zip(extra, ranks[standard.count...]).map {
                QuantileValue(quantile: $0, value: value(atRank: $1))
            },
            oldestTimestamp: oldest, newestTimestamp: newest)
    }
}
