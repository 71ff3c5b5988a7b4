extension MetricsRegistry {
    /// Throws `futureTimestamp` when `timestamp` is more than ``Configuration/maxFutureSkewMilliseconds``
    /// ahead of `now` (both ms since the epoch). A clock reading that is not finite cannot judge a skew,
    /// so it lets every finite timestamp through.
    @inline(__always)
    func checkNotFuture(_ timestamp: Double, now: Double, metric: String) throws(MetricsError) {
        let limit = configuration.maxFutureSkewMilliseconds
        guard timestamp - now > limit, now.isFinite else { return }
        throw .futureTimestamp(
            timestamp, metric: metric, aheadMilliseconds: timestamp - now, limitMilliseconds: limit)
    }

    /// Whether ``checkEach(_:now:metric:)`` would throw nothing for `samples`: every value and
    /// timestamp finite, and no timestamp more than `limit` ms ahead of `now` (ms since the epoch).
    /// One branch-light pass: `x * 0` is ±0 for a finite `x` and NaN otherwise, so their running sum
    /// stays 0 exactly while every number is finite; and since `t − now` rounds monotonically in `t`,
    /// the newest timestamp is too far ahead exactly when some timestamp is.
    @inline(__always)
    static func passesChecks(_ samples: UnsafeBufferPointer<RecentSample>, now: Double, limit: Double) -> Bool
    {
        var probe = 0.0
        var newest = -Double.infinity
        for sample in samples {
            probe += sample.value * 0 + sample.timestamp * 0
            if sample.timestamp > newest { newest = sample.timestamp }
        }
        guard probe == 0 else { return false }
        return !(newest - now > limit && now.isFinite)
    }

    /// Checks samples one by one, in order, and throws for the first bad one: `nonFiniteValue`, then
    /// `nonFiniteTimestamp`, then `futureTimestamp` (see ``checkNotFuture(_:now:metric:)``). The slow
    /// path of a batch that ``passesChecks(_:now:limit:)`` refused.
    @inline(never)
    func checkEach(_ samples: UnsafeBufferPointer<RecentSample>, now: Double, metric: String)
        throws(MetricsError)
    {
        for sample in samples {
            guard sample.value.isFinite else { throw .nonFiniteValue(sample.value, metric: metric) }
            guard sample.timestamp.isFinite else {
                throw .nonFiniteTimestamp(sample.timestamp, metric: metric)
            }
            try checkNotFuture(sample.timestamp, now: now, metric: metric)
        }
    }

    /// Reads the wall clock for the skew check and keeps a finite reading in ``skewReading``.
    /// - Returns: the reading, in ms since the epoch.
    func freshSkewReading() -> Double {
        let now = nowMilliseconds()
        if now.isFinite { skewReading.store(now, ordering: .relaxed) }
        return now
    }
}
