/// The closed, compacted slices of one history tier, sorted by slice index (oldest first), with the
/// bytes they take.
package struct TierSlices: Sendable {
    /// The slice indices, ascending, without duplicates.
    package private(set) var indices: [Int64] = []
    /// The slices, in the order of `indices`.
    package private(set) var slices: [CompactHistogram] = []
    /// The sum of the slices' ``CompactHistogram/allocatedBytes``.
    package private(set) var bytes = 0

    /// How many slices the tier holds.
    package var count: Int { indices.count }

    /// The position of `index`, or where it would be inserted.
    package func position(of index: Int64) -> Int {
        indices.partitionPoint { $0 >= index }
    }

    /// The slice at `index`, if held.
    package func slice(at index: Int64) -> CompactHistogram? {
        let position = position(of: index)
        return position < indices.count && indices[position] == index ? slices[position] : nil
    }

    /// Stores `slice` at `index`, replacing one held there.
    package mutating func store(_ slice: CompactHistogram, at index: Int64) {
        if let last = indices.last, last < index {
            indices.append(index)
            slices.append(slice)
        } else {
            let position = position(of: index)
            if position < indices.count, indices[position] == index {
                bytes -= slices[position].allocatedBytes
                slices[position] = slice
            } else {
                indices.insert(index, at: position)
                slices.insert(slice, at: position)
            }
        }
        bytes += slice.allocatedBytes
    }

    /// Adds `histogram` to the slice at `index` (exactly: decoded, merged, compacted again).
    package mutating func add(_ histogram: ExponentialHistogram, at index: Int64) {
        guard var merged = slice(at: index)?.histogram else {
            store(CompactHistogram(histogram), at: index)
            return
        }
        merged.merge(histogram)
        store(CompactHistogram(merged), at: index)
    }

    /// Removes and returns the slices with an index ≤ `cutoff` (the oldest ones).
    package mutating func removeThrough(_ cutoff: Int64) -> [(index: Int64, slice: CompactHistogram)] {
        let end = position(of: cutoff &+ 1)
        guard end > 0 else { return [] }
        let removed = (0..<end).map { (indices[$0], slices[$0]) }
        for (_, slice) in removed { bytes -= slice.allocatedBytes }
        indices.removeFirst(end)
        slices.removeFirst(end)
        return removed
    }

    /// Removes the oldest slice; returns the bytes it took, 0 when there is none.
    package mutating func removeOldest() -> Int {
        guard !indices.isEmpty else { return 0 }
        let freed = slices[0].allocatedBytes
        bytes -= freed
        indices.removeFirst()
        slices.removeFirst()
        return freed
    }
}
