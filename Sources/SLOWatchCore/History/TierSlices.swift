/// The closed, compacted slices of one history tier (or one length of a tier's summaries), sorted by
/// slice index (oldest first), with the bytes they take.
///
/// **One arena, in index order.** The slices' coded bytes (``CompactHistogram``'s stream) live in one
/// byte array, `arena`, one after the other in index order: slice `i` starts at `starts[i]` and ends
/// where the next one starts (the last one at the arena's end), so no length is stored. Indices and
/// starts are ``PackedAscendingList``s (4 bytes each while they fit, none for consecutive indices):
/// 4 to 8 bytes per slice, instead of a reference and an array header per slice (40 bytes) and each
/// array's own capacity slack.
///
/// **Garbage only at the head.** Removing the oldest slices leaves their bytes dead before
/// `starts[0]`. Replacing the newest slice (a roll-up or a late sample merged into it: the usual case)
/// truncates the arena and appends; replacing or inserting an older one moves the bytes after it (a
/// rare late sample). Nothing else moves until an append finds the arena full: it is then rebuilt
/// without the dead head, with room for about 1/256 more (``headroom(live:adding:)``). So an arena
/// holds at most its live bytes plus that room and the head, and each byte appended is copied O(1)
/// times on average. ``bytes`` counts every capacity: arena, indices and starts, garbage included.
package struct TierSlices: Sendable {
    /// The slice indices, ascending, without duplicates.
    package private(set) var indices = PackedAscendingList()
    /// Where each slice's bytes start in ``arena``, in the order of `indices` (ascending).
    private var starts = PackedAscendingList()
    /// The slices' coded bytes: a dead head, then every slice in index order.
    private var arena: [UInt8] = []

    /// The bytes of the live slices (the sum of their lengths).
    package var liveBytes: Int { starts.first.map { arena.count - Int($0) } ?? 0 }

    /// How many slices the tier holds.
    package var count: Int { indices.count }

    /// The bytes held: the arena's capacity (live bytes, garbage and room), the indices' and the
    /// starts' capacities, and the heap header of each of those three arrays once allocated.
    package var bytes: Int {
        Self.arrayBytes(arena.capacity, of: UInt8.self) + indices.bytes + starts.bytes
    }

    /// The slices, copied out of the arena (for a snapshot, the budget backfill and tests).
    package var slices: [CompactHistogram] {
        (0..<count).map { CompactHistogram(coded: Array(arena[range(atPosition: $0)])) }
    }

    /// The position of `index`, or where it would be inserted.
    package func position(of index: Int64) -> Int {
        indices.partitionPoint { $0 >= index }
    }

    /// The slice at `index`, if held (a copy of its bytes).
    package func slice(at index: Int64) -> CompactHistogram? {
        let position = position(of: index)
        guard position < indices.count, indices[position] == index else { return nil }
        return CompactHistogram(coded: Array(arena[range(atPosition: position)]))
    }

    /// The histogram of the slice at `position` (0 ..< ``count``), decoded from the arena in place.
    package func histogram(atPosition position: Int) -> ExponentialHistogram {
        CompactHistogram.decode(arena, range: range(atPosition: position))
    }

    /// The arena range of the slice at `position`.
    private func range(atPosition position: Int) -> Range<Int> {
        let end = position + 1 < starts.count ? Int(starts[position + 1]) : arena.count
        return Int(starts[position])..<end
    }

    /// Stores `slice` at `index`, replacing one held there.
    package mutating func store(_ slice: CompactHistogram, at index: Int64) {
        let coded = slice.coded
        let position = position(of: index)
        if position == count {
            reserve(adding: coded.count)
            indices.append(index)
            starts.append(Int64(arena.count))
            arena.append(contentsOf: coded)
        } else if indices[position] == index {
            replace(atPosition: position, with: coded)
        } else {
            reserve(adding: coded.count)
            let start = Int(starts[position])
            arena.replaceSubrange(start..<start, with: coded)
            starts.add(Int64(coded.count), from: position)
            starts.insert(Int64(start), at: position)
            indices.insert(index, at: position)
        }
    }

    /// Puts `coded` in place of the slice at `position`: truncating and appending for the newest,
    /// moving the bytes after it for an older one.
    private mutating func replace(atPosition position: Int, with coded: [UInt8]) {
        let old = range(atPosition: position)
        let growth = coded.count - old.count
        if growth > 0 { reserve(adding: growth) }
        // A rebuild moved the slice: take its range again.
        let range = self.range(atPosition: position)
        if position == count - 1 {
            arena.removeSubrange(range)
            arena.append(contentsOf: coded)
        } else {
            arena.replaceSubrange(range, with: coded)
            starts.add(Int64(growth), from: position + 1)
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

    /// Removes the slices with an index ≥ `index` (the newest ones), without decoding them; their
    /// bytes are cut from the arena's end.
    package mutating func discardFrom(_ index: Int64) {
        let position = position(of: index)
        guard position < count else { return }
        if position == 0 {
            dropFirst(count)
            return
        }
        let removed = count - position
        arena.removeSubrange(Int(starts[position])...)
        indices.removeLast(removed)
        starts.removeLast(removed)
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

    /// Rebuilds the arena without garbage or room and trims the indices and starts to their count,
    /// so that ``bytes`` is what the live slices need.
    package mutating func shrink() {
        rebuild(room: 0)
        trimMetadata(force: true)
    }

    /// Forgets the first `count` slices; their bytes become garbage.
    private mutating func dropFirst(_ count: Int) {
        indices.removeFirst(count)
        starts.removeFirst(count)
        if indices.isEmpty {
            arena = []
            indices.removeAll()
            starts.removeAll()
        }
        trimMetadata(force: false)
    }

    /// Makes room for `adding` more bytes, rebuilding the arena when they do not fit.
    private mutating func reserve(adding: Int) {
        // A slice of at most 2 × 4,096 buckets codes to well under 1 MiB.
        assert(adding <= Self.maximumSliceBytes, "a compacted slice is at most 16 MiB")
        if arena.count + adding > arena.capacity {
            rebuild(room: Self.headroom(live: liveBytes, adding: adding))
        }
    }

    /// The most bytes one slice may take: 16 MiB, far above any histogram of
    /// ``ExponentialHistogram/maximumBuckets`` buckets per sign.
    static let maximumSliceBytes = 1 << 24 - 1

    /// Room to leave after a rebuild, in bytes: 1/256 of the live bytes, and at least one more slice
    /// like the one being added and 64 bytes. A rebuild copies the live bytes (a `memcpy`), so each
    /// appended byte costs at most about 256 copied bytes (a few µs per closed 10 s slice), while the
    /// room stays under 0.5 % of a full tier.
    static func headroom(live: Int, adding: Int) -> Int {
        max(live / 256, adding, 64) + adding
    }

    /// Copies the live bytes into a new arena with `room` spare bytes, dropping the dead head.
    private mutating func rebuild(room: Int) {
        let head = Int(starts.first ?? 0)
        var fresh: [UInt8] = []
        fresh.reserveCapacity(arena.count - head + room)
        fresh.append(contentsOf: arena[head...])
        arena = fresh
        starts.add(-Int64(head), from: 0)
    }

    /// Shrinks the indices' and the starts' capacities, each on its own, when it holds more than a
    /// quarter spare (after the tier stopped growing), or always when `force`, to the count plus 1/16
    /// (exactly the count when `force`). Consecutive indices hold no storage and are left alone.
    private mutating func trimMetadata(force: Bool) {
        let count = starts.count
        let capacity = force ? count : count + count / 16 + 8
        func trimmed(_ list: inout PackedAscendingList) {
            guard force || list.capacity > count + count / 4 + 16, list.capacity > capacity else { return }
            list.reallocate(capacity: capacity)
        }
        trimmed(&indices)
        trimmed(&starts)
    }

    /// The heap bytes of an array of `capacity` elements: its header (object header, count and
    /// capacity: 32 bytes on 64-bit platforms) and elements; 0 when nothing is allocated.
    static func arrayBytes<Element>(_ capacity: Int, of _: Element.Type) -> Int {
        capacity == 0 ? 0 : CompactHistogram.arrayHeaderBytes + capacity * MemoryLayout<Element>.stride
    }
}
