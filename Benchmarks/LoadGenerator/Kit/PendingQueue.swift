/// The intended send times (ns) of requests that are due but have no free connection yet, oldest
/// first: a ring that grows by doubling, up to `limit` entries.
///
/// The latency of a request that waits here still runs from its intended time, so a stalled server
/// shows in the figures instead of silently slowing the schedule (no coordinated omission).
struct PendingQueue {
    private var storage: [UInt64]
    private var head = 0
    /// How many times are queued.
    private(set) var count = 0
    /// The most entries the queue holds; `append` refuses more.
    let limit: Int

    /// An empty queue holding at most `limit` (> 0) times.
    init(limit: Int) {
        self.limit = limit
        storage = [UInt64](repeating: 0, count: min(limit, 1_024))
    }

    /// Whether no time is queued.
    var isEmpty: Bool { count == 0 }

    /// Queues `time`; false when the queue already holds `limit` times.
    mutating func append(_ time: UInt64) -> Bool {
        guard count < limit else { return false }
        if count == storage.count { grow() }
        storage[(head + count) % storage.count] = time
        count += 1
        return true
    }

    /// The oldest time, removed; nil when empty.
    mutating func popFirst() -> UInt64? {
        guard count > 0 else { return nil }
        let time = storage[head]
        head = (head + 1) % storage.count
        count -= 1
        return time
    }

    private mutating func grow() {
        var larger = [UInt64](repeating: 0, count: min(limit, storage.count * 2))
        for offset in 0..<count { larger[offset] = storage[(head + offset) % storage.count] }
        storage = larger
        head = 0
    }
}
