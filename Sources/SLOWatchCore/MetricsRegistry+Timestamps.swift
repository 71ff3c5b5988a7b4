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

    /// Reads the wall clock for the skew check and keeps a finite reading in ``skewReading``.
    /// - Returns: the reading, in ms since the epoch.
    func freshSkewReading() -> Double {
        let now = nowMilliseconds()
        if now.isFinite { skewReading.store(now, ordering: .relaxed) }
        return now
    }
}
