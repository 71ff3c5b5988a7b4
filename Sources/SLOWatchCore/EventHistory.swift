/// The bus's most recent events, kept in a fixed-size ring, oldest first.
///
/// Sequences in the ring strictly increase but need not be contiguous: a history restored from an
/// earlier process may have holes (events lost to damage, or ids reserved and never used), so "events
/// after N" is a binary search over the ring, not an index computation.
/// Not thread-safe on its own; the event bus keeps it under its lock.
struct EventHistory: Sendable {
    /// The most events kept; at least 1.
    let capacity: Int
    private var storage: [Event] = []
    /// The index of the oldest event once the ring is full.
    private var head = 0
    /// The highest sequence known to have left the history (evicted by a newer event, or dropped before
    /// a restore); 0 when none has. A reader whose last sequence is below it missed events.
    private(set) var goneThrough: UInt64 = 0

    /// Creates an empty history.
    /// - Parameter capacity: the most events kept; values below 1 are raised to 1.
    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The sequence number of the oldest event held, or `nil` when empty.
    var oldestSequence: UInt64? { storage.isEmpty ? nil : storage[head].sequence }

    /// The number of events held.
    var count: Int { storage.count }

    /// Records that the events up to `sequence` are gone (raises ``goneThrough``, never lowers it).
    mutating func markGone(through sequence: UInt64) {
        goneThrough = max(goneThrough, sequence)
    }

    /// Adds an event; its sequence must be greater than the previous event's.
    mutating func append(_ event: Event) {
        if storage.count < capacity {
            storage.append(event)
        } else {
            goneThrough = max(goneThrough, storage[head].sequence)
            storage[head] = event
            head = (head + 1) % capacity
        }
    }

    /// The event at `offset` from the oldest; the caller checks `offset < count`.
    private func event(at offset: Int) -> Event { storage[(head + offset) % storage.count] }

    /// The offset from the oldest of the first event whose sequence is greater than `sequence`
    /// (``count`` when there is none): a binary search, as sequences strictly increase.
    private func firstOffset(after sequence: UInt64) -> Int {
        (0..<storage.count).partitionPoint { event(at: $0).sequence > sequence }
    }

    /// The events held whose sequence is greater than `sequence`, oldest first, filtered by topic.
    /// - Parameters:
    ///   - sequence: the last sequence the caller has seen; 0 means "everything held".
    ///   - topics: the topics wanted, or `nil` for all.
    ///   - limit: the most events returned (the oldest ones that match); nil for no limit.
    ///   - isIncluded: a further filter, called for each event of a wanted topic until `limit` is met.
    func events(
        after sequence: UInt64, topics: Set<String>?, limit: Int? = nil,
        where isIncluded: (Event) -> Bool = { _ in true }
    ) -> [Event] {
        guard !storage.isEmpty, limit.map({ $0 > 0 }) ?? true else { return [] }
        let first = firstOffset(after: sequence)
        guard first < storage.count else { return [] }
        var result: [Event] = []
        result.reserveCapacity(min(storage.count - first, limit ?? .max))
        for offset in first..<storage.count {
            let event = event(at: offset)
            guard topics?.contains(event.topic) ?? true, isIncluded(event) else { continue }
            result.append(event)
            if result.count == limit { break }
        }
        return result
    }
}
