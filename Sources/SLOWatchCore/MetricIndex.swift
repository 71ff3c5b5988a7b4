/// A per-process random seed for `MetricIndex.hash`, so collisions cannot be precomputed.
private let metricIndexSeed = UInt64.random(in: 1...UInt64.max)

/// The immutable name → metric index that `record` reads without locking.
///
/// The registry publishes a new index on every registration change. It is split into 64 immutable
/// shards, so a change rebuilds one shard (about n/64 entries) and copies 64 references instead of
/// copying a whole dictionary: registering 10,000 metrics stays fast. Names are hashed with a cheap
/// seeded multiply-xorshift over their UTF-8 bytes rather than `String`'s SipHash, which was a third
/// of `record`'s time.
///
/// `@unchecked Sendable`: the shard buffer is written only in `init` and never mutated after; it is
/// freed in `deinit`.
package final class MetricIndex: @unchecked Sendable {
    /// The number of shards; a power of two.
    private static let shardCount = 64
    /// Shards, indexed by the top bits of the hash; read without retaining them.
    private let shards: UnsafeMutablePointer<MetricTable>
    /// A copy of the process seed, so the hot path skips the lazy-global check.
    private let seed: UInt64

    private init(shards: [MetricTable], seed: UInt64) {
        self.seed = seed
        self.shards = .allocate(capacity: Self.shardCount)
        self.shards.initialize(from: shards, count: Self.shardCount)
    }

    /// A shared index with no metric, for caches that hold no registry's index.
    static let empty = MetricIndex()

    /// An index with no metric.
    convenience init() {
        let empty = MetricTable([])
        self.init(shards: Array(repeating: empty, count: Self.shardCount), seed: metricIndexSeed)
    }

    deinit {
        shards.deinitialize(count: Self.shardCount)
        shards.deallocate()
    }

    /// The metric named `name`, if any.
    @inline(__always)
    func lookup(_ name: String) -> MetricStorage? {
        let hash = Self.hash(name, seed: seed)
        return shards[Self.shard(of: hash)].lookup(name, hash: hash)
    }

    /// A new index that also holds `storage` under `name`, which must not be in this one.
    func adding(_ name: String, _ storage: MetricStorage) -> MetricIndex {
        let hash = Self.hash(name, seed: seed)
        let shard = Self.shard(of: hash)
        var entries = shards[shard].allEntries
        entries.append(MetricTable.Entry(name: name, storage: storage, hash: hash))
        return replacing(shard, with: MetricTable(entries))
    }

    /// A new index without `name`.
    func removing(_ name: String) -> MetricIndex {
        let shard = Self.shard(of: Self.hash(name, seed: seed))
        return replacing(shard, with: MetricTable(shards[shard].allEntries.filter { $0.name != name }))
    }

    private func replacing(_ shard: Int, with table: MetricTable) -> MetricIndex {
        var tables = Array(UnsafeBufferPointer(start: shards, count: Self.shardCount))
        tables[shard] = table
        return MetricIndex(shards: tables, seed: seed)
    }

    @inline(__always)
    private static func shard(of hash: UInt64) -> Int { Int(truncatingIfNeeded: hash >> 58) }

    /// A seeded multiply-xorshift hash of the UTF-8 bytes of `name`, eight bytes at a time.
    @inline(__always)
    static func hash(_ name: String, seed: UInt64) -> UInt64 {
        if let hash = name.utf8.withContiguousStorageIfAvailable({ hash(bytes: $0, seed: seed) }) {
            return hash
        }
        return Array(name.utf8).withUnsafeBufferPointer { hash(bytes: $0, seed: seed) }
    }

    /// The same hash over raw bytes; the service uses it to find a body's repeated metric names.
    @inline(__always)
    package static func hash(bytes: UnsafeBufferPointer<UInt8>, seed: UInt64) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var hash = seed ^ (UInt64(bytes.count) &* multiplier)
        let raw = UnsafeRawBufferPointer(bytes)
        var offset = 0
        while offset + 8 <= raw.count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* multiplier
            hash ^= hash >> 29
            offset += 8
        }
        if offset < raw.count {
            var tail: UInt64 = 0
            for index in offset..<raw.count {
                tail |= UInt64(raw[index]) << UInt64(8 * (index - offset))
            }
            hash = (hash ^ tail) &* multiplier
            hash ^= hash >> 29
        }
        // The murmur3 finalizer, so every input bit reaches both the shard and the slot bits.
        hash ^= hash >> 33
        hash &*= 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        hash &*= 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 33
        return hash
    }
}
