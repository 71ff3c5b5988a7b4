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
    func events(after sequence: UInt64, topics: Set<String>?) -> [Event] {
        guard let oldest = oldestSequence else { return [] }
        let skip = sequence >= oldest ? sequence - oldest + 1 : 0
        guard skip < UInt64(storage.count) else { return [] }
        var result: [Event] = []
        result.reserveCapacity(storage.count - Int(skip))
        for offset in Int(skip)..<storage.count {
            let event = storage[(head + offset) % storage.count]
            if topics?.contains(event.topic) ?? true { result.append(event) }
        }
        return result
    }
}
