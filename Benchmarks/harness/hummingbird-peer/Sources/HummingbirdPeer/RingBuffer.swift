/// A fixed-capacity ring of (value, timestamp) pairs: the storage a Swift user would write first.
///
/// Invariant: `entries.count <= capacity`; once full, `next` is the slot the next append overwrites.
struct RingBuffer {
    /// One sample: `value` in ms, `timestamp` in ms since the Unix epoch.
    struct Entry {
        var value: Double
        var timestamp: Double
    }

    /// Maximum number of entries kept (samples).
    let capacity: Int
    private(set) var entries: [Entry] = []
    private var next = 0

    init(capacity: Int) {
        self.capacity = capacity
        self.entries.reserveCapacity(capacity)
    }

    /// Appends a sample, overwriting the oldest one once the ring is full.
    mutating func append(value: Double, timestamp: Double) {
        let entry = Entry(value: value, timestamp: timestamp)
        if entries.count < capacity {
            entries.append(entry)
        } else {
            entries[next] = entry
            next = (next + 1) % capacity
        }
    }
}
