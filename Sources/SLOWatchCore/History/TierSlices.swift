/// The closed, compacted slices of one history tier (or one length of a tier's summaries), sorted by
/// slice index (oldest first), with the bytes they take.
///
/// **One arena.** The slices' coded bytes (``CompactHistogram``'s stream) live in one byte array,
/// `arena`; `locations[i]` says where slice `indices[i]` is in it (start in the high 40 bits, length
/// in the low 24). This costs 16 bytes per slice (index and location) instead of a reference and an
/// array header per slice (40 bytes) and each array's own capacity slack.
///
/// **Garbage, reclaimed lazily.** Removing the oldest slices leaves their bytes dead at the head, and
/// replacing a slice (a late sample merged into it) appends its new bytes and leaves the old ones
/// dead. Nothing is moved then; only when an append finds the arena full is it rebuilt, with the
/// live slices only, in index order, and room for about 1/128 more (``headroom(live:adding:)``). So an
/// arena holds at most its live bytes plus that room, and each byte appended is copied O(1) times on
/// average. ``bytes`` counts every capacity: arena, indices and locations, garbage included.
package struct TierSlices: Sendable {
    /// The slice indices, ascending, without duplicates.
    package private(set) var indices: [Int64] = []
    /// Where each slice's bytes are in ``arena``, in the order of `indices`: start << 24 | length.
    private var locations: [UInt64] = []
    /// The slices' coded bytes, live and dead.
    private var arena: [UInt8] = []
    /// The bytes of the live slices (the sum of their lengths).
    package private(set) var liveBytes = 0

    /// The most bytes one slice may take (24 bits of length): 16 MiB, far above any histogram of
    /// ``ExponentialHistogram/maximumBuckets`` buckets per sign.
    static let maximumSliceBytes = 1 << 24 - 1

    /// How many slices the tier holds.
    package var count: Int { indices.count }

    /// The bytes held: the arena's capacity (live bytes, garbage and room), the indices' and the
    /// locations' capacities, and the heap header of each of those three arrays once allocated.
    package var bytes: Int {
        Self.arrayBytes(arena.capacity, of: UInt8.self) + Self.arrayBytes(indices.capacity, of: Int64.self)
            + Self.arrayBytes(locations.capacity, of: UInt64.self)
    }

    /// The slices, copied out of the arena (for a snapshot, the budget backfill and tests).
    package var slices: [CompactHistogram] {
        locations.map { CompactHistogram(coded: Array(arena[Self.range($0)])) }
    }

    /// The position of `index`, or where it would be inserted.
    package func position(of index: Int64) -> Int {
        indices.partitionPoint { $0 >= index }
    }

    /// The slice at `index`, if held (a copy of its bytes).
    package func slice(at index: Int64) -> CompactHistogram? {
        let position = position(of: index)
        guard position < indices.count, indices[position] == index else { return nil }
        return CompactHistogram(coded: Array(arena[Self.range(locations[position])]))
    }

    /// The histogram of the slice at `position` (0 ..< ``count``), decoded from the arena in place.
    package func histogram(atPosition position: Int) -> ExponentialHistogram {
        CompactHistogram.decode(arena, range: Self.range(locations[position]))
    }

    /// Stores `slice` at `index`, replacing one held there (whose bytes become garbage).
    package mutating func store(_ slice: CompactHistogram, at index: Int64) {
        let location = append(slice.coded)
        if let last = indices.last, last < index {
            indices.append(index)
            locations.append(location)
            return
        }
        let position = position(of: index)
        if position < indices.count, indices[position] == index {
            liveBytes -= Int(locations[position] & Self.lengthMask)
            locations[position] = location
        } else {
            indices.insert(index, at: position)
            locations.insert(location, at: position)
        }
    }

    /// Adds `histogram` to the slice at `index` (exactly: decoded, merged, compacted again).
    package mutating func add(_ histogram: ExponentialHistogram, at index: Int64) {
        let position = position(of: index)
        guard position < indices.count, indices[position] == index else {
            store(CompactHistogram(histogram), at: index)
            return
        }
        var merged = self.histogram(atPosition: position)
        merged.merge(histogram)
        store(CompactHistogram(merged), at: index)
    }

    /// Removes the slices with an index ≤ `cutoff` (the oldest ones) and returns their histograms,
    /// oldest first. Their bytes become garbage at the arena's head.
    package mutating func removeThrough(_ cutoff: Int64) -> [(index: Int64, histogram: ExponentialHistogram)]
    {
        let end = position(of: cutoff &+ 1)
        guard end > 0 else { return [] }
        let removed = (0..<end).map { (indices[$0], histogram(atPosition: $0)) }
        dropFirst(end)
        return removed
    }

    /// Removes the slices with an index ≤ `cutoff`, without decoding them.
    package mutating func discardThrough(_ cutoff: Int64) {
        let end = position(of: cutoff &+ 1)
        if end > 0 { dropFirst(end) }
    }

    /// Removes the oldest slice and rebuilds the arena without garbage or room, so that the bytes
    /// are freed now (the history-memory limit's path); returns how much ``bytes`` fell, 0 when
    /// there is no slice.
    package mutating func removeOldest() -> Int {
        guard !indices.isEmpty else { return 0 }
        let before = bytes
        dropFirst(1)
        shrink()
        return before - bytes
    }

    /// Rebuilds the arena without garbage or room and trims the indices and locations to their count,
    /// so that ``bytes`` is what the live slices need.
    package mutating func shrink() {
        rebuild(room: 0)
        trimMetadata(force: true)
    }

    /// Forgets the first `count` slices; their bytes become garbage.
    private mutating func dropFirst(_ count: Int) {
        for location in locations[0..<count] { liveBytes -= Int(location & Self.lengthMask) }
        indices.removeFirst(count)
        locations.removeFirst(count)
        if indices.isEmpty {
            arena = []
            liveBytes = 0
        }
        trimMetadata(force: false)
    }

    /// Appends coded bytes to the arena, rebuilding it first when they do not fit; returns their
    /// location.
    private mutating func append(_ coded: [UInt8]) -> UInt64 {
        // A slice of at most 2 × 4,096 buckets codes to well under 1 MiB: the length always fits.
        assert(coded.count <= Self.maximumSliceBytes, "a compacted slice is at most 16 MiB")
        if arena.count + coded.count > arena.capacity {
            rebuild(room: Self.headroom(live: liveBytes, adding: coded.count))
        }
        let start = arena.count
        arena.append(contentsOf: coded)
        liveBytes += coded.count
        return UInt64(start) << 24 | UInt64(coded.count)
    }

    /// Room to leave after a rebuild, in bytes: 1/128 of the live bytes, at least two slices like
    /// the one being added and 64 bytes. A rebuild copies the live bytes, so each appended byte costs
    /// at most about 128 copied bytes (a few µs per closed 10 s slice), while the room stays under 1 %
    /// of a full tier.
    static func headroom(live: Int, adding: Int) -> Int {
        max(live / 128, 2 * adding, 64) + adding
    }

    /// Copies the live slices, in index order, into a new arena with `room` spare bytes.
    private mutating func rebuild(room: Int) {
        var fresh: [UInt8] = []
        fresh.reserveCapacity(liveBytes + room)
        for position in locations.indices {
            let range = Self.range(locations[position])
            locations[position] = UInt64(fresh.count) << 24 | UInt64(range.count)
            fresh.append(contentsOf: arena[range])
        }
        arena = fresh
    }

    /// Shrinks the indices' and locations' capacities when they hold more than a quarter spare (after
    /// the tier stopped growing), or always when `force`, to the count plus 1/16.
    private mutating func trimMetadata(force: Bool) {
        let count = indices.count
        guard force || indices.capacity > count + count / 4 + 16 else { return }
        let capacity = force ? count : count + count / 16 + 8
        guard indices.capacity > capacity else { return }
        var newIndices: [Int64] = []
        newIndices.reserveCapacity(capacity)
        newIndices.append(contentsOf: indices)
        var newLocations: [UInt64] = []
        newLocations.reserveCapacity(capacity)
        newLocations.append(contentsOf: locations)
        indices = newIndices
        locations = newLocations
    }

    private static let lengthMask: UInt64 = 1 << 24 - 1

    /// The arena range of a location.
    private static func range(_ location: UInt64) -> Range<Int> {
        let start = Int(location >> 24)
        return start..<(start + Int(location & lengthMask))
    }

    /// The heap bytes of an array of `capacity` elements: its header (object header, count and
    /// capacity: 32 bytes on 64-bit platforms) and elements; 0 when nothing is allocated.
    static func arrayBytes<Element>(_ capacity: Int, of _: Element.Type) -> Int {
        capacity == 0 ? 0 : CompactHistogram.arrayHeaderBytes + capacity * MemoryLayout<Element>.stride
    }
}
