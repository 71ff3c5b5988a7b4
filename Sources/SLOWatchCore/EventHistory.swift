/// The bus's most recent events, kept in a fixed-size ring, oldest first.
///
/// Sequences in the ring are contiguous, so "events after N" is an index computation, not a search.
/// Not thread-safe on its own; the event bus keeps it under its lock.
struct EventHistory: Sendable {
    /// The most events kept; at least 1.
    let capacity: Int
    private var storage: [Event] = []
    /// The index of the oldest event once the ring is full.
    private var head = 0

    /// Creates an empty history.
    /// - Parameter capacity: the most events kept; values below 1 are raised to 1.
    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The sequence number of the oldest event held, or `nil` when empty.
    var oldestSequence: UInt64? { storage.isEmpty ? nil : storage[head].sequence }

    /// Adds an event; its sequence must be one more than the previous event's.
    mutating func append(_ event: Event) {
        if storage.count < capacity {
            storage.append(event)
        } else {
            storage[head] = event
            head = (head + 1) % capacity
        }
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
        guard let oldest = oldestSequence, limit.map({ $0 > 0 }) ?? true else { return [] }
        let skip = sequence >= oldest ? sequence - oldest + 1 : 0
        guard skip < UInt64(storage.count) else { return [] }
        var result: [Event] = []
        result.reserveCapacity(min(storage.count - Int(skip), limit ?? .max))
        for offset in Int(skip)..<storage.count {
            let event = storage[(head + offset) % storage.count]
            guard topics?.contains(event.topic) ?? true, isIncluded(event) else { continue }
            result.append(event)
            if result.count == limit { break }
        }
        return result
    }
}
