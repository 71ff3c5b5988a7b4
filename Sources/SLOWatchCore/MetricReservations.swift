/// The memory the registry has reserved for its metrics: each metric's reserved ring capacity, and the
/// percentile scratch that follows from the largest one. Guarded by the registry's registration lock.
///
/// A metric costs `capacity × 16 B` (its ring of values and timestamps) plus ``perMetricOverheadBytes``.
/// The percentile scratch costs ``ScratchPool/reservedBytes(largestCapacity:)``, which depends only on
/// the largest reserved capacity.
struct MetricReservations: Sendable {
    /// The fixed cost of one metric besides its ring, in bytes: its name (up to 128 bytes, kept by the
    /// canonical map, the definition and the index entry), its lock and state, its dictionary and index
    /// entries, the share of the index shard copies a registration makes, and the allocator's slack.
    /// Measured through the binary at about 1,100 B of resident memory per metric (50,000 metrics of
    /// capacity 1 with 20-character names); 1.5 KiB leaves room for 128-character names.
    static let perMetricOverheadBytes = 1_536

    /// Bytes per reserved sample: a `Double` value and a `Double` timestamp.
    static let bytesPerSample = 16

    /// The capacity reserved for each metric, by name.
    private(set) var capacities: [String: Int] = [:]
    /// How many metrics reserve each capacity, to find the largest after one is removed.
    private var capacityCounts: [Int: Int] = [:]

    /// The bytes one metric of `capacity` samples reserves.
    static func metricBytes(capacity: Int) -> Int { capacity * bytesPerSample + perMetricOverheadBytes }

    /// The largest reserved capacity, in samples (0 with no metric).
    var largestCapacity: Int { capacityCounts.keys.max() ?? 0 }

    /// What applying `changes` (metric name → its new capacity, or nil for removal) would change, in
    /// bytes, per budget purpose: `metrics` and `scratch`.
    func deltas(_ changes: [(name: String, capacity: Int?)]) -> [String: Int] {
        var metrics = 0
        var counts = capacityCounts
        for change in changes {
            if let old = capacities[change.name] {
                metrics -= Self.metricBytes(capacity: old)
                Self.remove(old, from: &counts)
            }
            if let new = change.capacity {
                metrics += Self.metricBytes(capacity: new)
                counts[new, default: 0] += 1
            }
        }
        let scratch =
            ScratchPool.reservedBytes(largestCapacity: counts.keys.max() ?? 0)
            - ScratchPool.reservedBytes(largestCapacity: largestCapacity)
        return ["metrics": metrics, "scratch": scratch]
    }

    /// Records `changes` (as for ``deltas(_:)``) once the budget has granted them.
    mutating func apply(_ changes: [(name: String, capacity: Int?)]) {
        for change in changes {
            if let old = capacities[change.name] { Self.remove(old, from: &capacityCounts) }
            capacities[change.name] = change.capacity
            if let new = change.capacity { capacityCounts[new, default: 0] += 1 }
        }
    }

    private static func remove(_ capacity: Int, from counts: inout [Int: Int]) {
        let left = counts[capacity, default: 0] - 1
        counts[capacity] = left > 0 ? left : nil
    }
}
