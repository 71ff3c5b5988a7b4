/// One shard of `MetricIndex`: an immutable open-addressing map from name to metric.
///
/// Lookups compare the precomputed hash's low bits as the slot and the names for equality. Should the
/// names collide badly (long probe runs, as a hash-flooding client could cause), the shard answers
/// from a `Dictionary` instead, whose hash is seeded SipHash.
///
/// `@unchecked Sendable`: every stored property is written only in `init` and never mutated after;
/// the raw buffers are freed in `deinit`.
final class MetricTable: @unchecked Sendable {
    /// One indexed metric and its hash.
    struct Entry {
        /// The metric's name.
        let name: String
        /// The metric.
        let storage: MetricStorage
        /// `MetricIndex.hash(name)`.
        let hash: UInt64
    }

    /// How many metrics the shard holds.
    let count: Int
    /// Slot → index into `entries`, or -1 for an empty slot; `mask + 1` slots.
    private let slots: UnsafeMutablePointer<Int32>
    private let mask: Int
    private let entries: UnsafeMutablePointer<Entry>
    /// Set instead of the slots when probe runs got too long.
    private let fallback: [String: MetricStorage]?

    /// The longest probe run tolerated before falling back to a dictionary.
    private static let maximumProbe = 16

    /// Creates a shard holding `entries`, whose names must be distinct.
    init(_ entries: [Entry]) {
        count = entries.count
        var capacity = 4
        while capacity < entries.count * 2 { capacity *= 2 }
        mask = capacity - 1
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: -1, count: capacity)
        self.entries = .allocate(capacity: max(1, entries.count))
        var longestProbe = 0
        for (index, entry) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            var probe = 0
            while slots[slot] >= 0 {
                slot = (slot + 1) & mask
                probe += 1
            }
            longestProbe = max(longestProbe, probe)
            slots[slot] = Int32(index)
            (self.entries + index).initialize(to: entry)
        }
        fallback =
            longestProbe > Self.maximumProbe
            ? Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0.storage) }) : nil
    }

    deinit {
        entries.deinitialize(count: count)
        entries.deallocate()
        slots.deallocate()
    }

    /// The metric named `name`, whose `MetricIndex.hash` is `hash`, if any.
    @inline(__always)
    func lookup(_ name: String, hash: UInt64) -> MetricStorage? {
        if let fallback { return fallback[name] }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return nil }
            if entries[index].hash == hash && entries[index].name == name { return entries[index].storage }
            slot = (slot + 1) & mask
        }
    }

    /// Every entry, in no particular order.
    var allEntries: [Entry] { Array(UnsafeBufferPointer(start: entries, count: count)) }
}
