/// A bound, in bytes, on the memory a registry may commit to: every ring buffer's capacity, each
/// metric's fixed overhead, the percentile scratch, and fixed amounts other parts reserve at start.
///
/// Memory is **reserved** before it can be used: a metric's ring (capacity × 16 B) is reserved when the
/// metric is registered or resized, whether or not samples have arrived, so the budget bounds the worst
/// case, not only what is touched now. A reservation that would take the total past ``limit`` is refused
/// with ``MetricsError/memoryLimitReached(_:requested:reserved:limit:)`` and changes nothing.
///
/// Every method is thread-safe; the state sits behind one lock, taken after the registry's registration
/// lock when both are held.
public final class MemoryBudget: Sendable {
    /// What the lock guards.
    private struct State: Sendable {
        /// Bytes reserved in total; never above `limit`.
        var reserved = 0
        /// Bytes reserved per purpose, for reporting; entries at 0 are removed.
        var byPurpose: [String: Int] = [:]
    }

    /// The budget, in bytes.
    public let limit: Int
    private let state = MetricLock(State())

    /// Creates an empty budget of `limit` bytes (negative values count as 0).
    public init(limit: Int) {
        self.limit = max(0, limit)
    }

    /// The bytes reserved now, in total.
    public var reserved: Int { state.withLock { $0.reserved } }

    /// The bytes reserved now for each purpose (`metrics`, `scratch`, or a fixed purpose's name).
    public var reservedByPurpose: [String: Int] { state.withLock { $0.byPurpose } }

    /// Reserves `bytes` for `purpose`, all or nothing.
    /// - Parameters:
    ///   - bytes: how much; 0 or less reserves nothing and always succeeds.
    ///   - purpose: what it is for (`metrics`, `scratch`, `streams`…), for reporting.
    ///   - subject: what asked, for the error message (e.g. `metric "q3"`); the purpose when nil.
    /// - Throws: `memoryLimitReached` when the total would pass ``limit``; nothing is reserved then.
    public func reserve(bytes: Int, for purpose: String, subject: String? = nil) throws(MetricsError) {
        guard bytes > 0 else { return }
        try adjust([purpose: bytes], subject: subject ?? purpose)
    }

    /// Reserves a fixed amount for the whole life of the process, such as the total of the event
    /// streams' outbound buffers or the history tier: call it at start, before metrics are registered.
    /// - Parameters:
    ///   - bytes: how much.
    ///   - purpose: what it is for (`streams`, `history`…).
    /// - Throws: `memoryLimitReached` when it does not fit the budget.
    public func reserveFixed(bytes: Int, purpose: String) throws(MetricsError) {
        try reserve(bytes: bytes, for: purpose)
    }

    /// Gives back `bytes` reserved for `purpose` (clamped to what that purpose holds).
    public func release(bytes: Int, for purpose: String) {
        guard bytes > 0 else { return }
        apply([purpose: -bytes])
    }

    /// Applies signed changes to several purposes at once, all or nothing: refused when their sum is
    /// positive and would take the total past ``limit``.
    /// - Parameters:
    ///   - deltas: bytes to add (positive) or give back (negative) per purpose.
    ///   - subject: what asked, for the error message.
    /// - Throws: `memoryLimitReached`, changing nothing.
    package func adjust(_ deltas: [String: Int], subject: String) throws(MetricsError) {
        try state.withLock { state throws(MetricsError) in
            let net = deltas.values.reduce(0, +)
            if net > 0 {
                let (total, overflow) = state.reserved.addingReportingOverflow(net)
                guard !overflow, total <= limit else {
                    throw .memoryLimitReached(subject, requested: net, reserved: state.reserved, limit: limit)
                }
            }
            Self.apply(deltas, to: &state)
        }
    }

    /// Applies signed changes unconditionally; for releases, which always fit.
    package func apply(_ deltas: [String: Int]) {
        state.withLock { Self.apply(deltas, to: &$0) }
    }

    private static func apply(_ deltas: [String: Int], to state: inout State) {
        for (purpose, delta) in deltas where delta != 0 {
            let held = state.byPurpose[purpose, default: 0]
            // A release never takes a purpose below zero, whatever the caller asks.
            let applied = max(delta, -held)
            state.reserved += applied
            state.byPurpose[purpose] = held + applied == 0 ? nil : held + applied
        }
    }
}
