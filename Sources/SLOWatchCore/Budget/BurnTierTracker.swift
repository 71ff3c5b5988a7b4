/// What the monitor remembers about one alert tier of one SLO between checks: whether it fires, since
/// when, and the rate limit of its alert events.
///
/// Rules: a tier fires while both windows burn faster than its rate (a window without events does not
/// burn). An alert is announced when the tier fires, is not yet announced, and the rate limit is open
/// (no alert of this tier within the limit); a resolution is published only for an announced alert, so
/// every resolution pairs with an alert a subscriber saw. Not thread-safe: kept in an ``SLOTracker``.
struct BurnTierTracker: Sendable, Equatable {
    /// Monotonic ns since the tier fires; nil while it does not.
    var firingSinceNanoseconds: UInt64?
    /// Wall-clock ms since the tier fires; nil while it does not.
    var firingSinceMilliseconds: Double?
    /// Whether an alert was published for the current firing.
    var announced = false
    /// Monotonic ns of the last alert event.
    var lastAlertNanoseconds: UInt64?

    /// The event of one check, or nil.
    /// - Parameters:
    ///   - long: the long window's burn rate, nil without events.
    ///   - short: the short window's burn rate, nil without events.
    ///   - rate: the tier's burn rate.
    ///   - now: monotonic ns; `timestamp`: wall-clock ms.
    ///   - rateLimit: the least ns between two alert events of this tier.
    mutating func judge(
        long: Double?, short: Double?, rate: Double, now: UInt64, timestamp: Double, rateLimit: UInt64
    ) -> SLOBurnEvent.Kind? {
        let firing = (long ?? 0) > rate && (short ?? 0) > rate
        if firing {
            if firingSinceNanoseconds == nil {
                firingSinceNanoseconds = now
                firingSinceMilliseconds = timestamp
            }
            guard !announced else { return nil }
            let open = lastAlertNanoseconds.map { now >= $0 && now - $0 >= rateLimit } ?? true
            guard open else { return nil }
            announced = true
            lastAlertNanoseconds = now
            return .alert
        }
        guard firingSinceNanoseconds != nil else { return nil }
        let wasAnnounced = announced
        firingSinceNanoseconds = nil
        firingSinceMilliseconds = nil
        announced = false
        return wasAnnounced ? .resolved : nil
    }
}
