/// Dense bucket counts of one sign of an ``ExponentialHistogram``: `counts[k]` is the count of bucket
/// `offset + k`. Empty when `counts` is; otherwise the first and last counts are not 0 (trimmed).
package struct BucketCounts: Sendable, Equatable {
    /// The index of the first bucket held.
    package private(set) var offset = 0
    /// The counts from `offset` on.
    package private(set) var counts: [UInt64] = []

    /// No counts.
    package init() {}

    /// Counts `counts` from bucket `offset`; zeros at either end are trimmed.
    package init(offset: Int, counts: [UInt64]) {
        guard let first = counts.firstIndex(where: { $0 != 0 }),
            let last = counts.lastIndex(where: { $0 != 0 })
        else { return }
        self.offset = offset + first
        self.counts = Array(counts[first...last])
    }

    /// Whether no bucket is counted.
    package var isEmpty: Bool { counts.isEmpty }

    /// One past the last bucket held.
    package var end: Int { offset + counts.count }

    /// How many buckets the counts would span with `index` added.
    @inline(__always)
    package func span(including index: Int) -> Int {
        guard !counts.isEmpty else { return 1 }
        return Swift.max(end, index + 1) - Swift.min(offset, index)
    }

    /// Adds `amount` to bucket `index`, widening the dense range as needed.
    @inline(__always)
    package mutating func add(_ amount: UInt64, at index: Int) {
        let position = index &- offset
        if position >= 0 && position < counts.count {
            counts.withUnsafeMutableBufferPointer { $0[position] &+= amount }
        } else {
            widenAndAdd(amount, at: index)
        }
    }

    /// Adds 1 at the bucket (in `layout`) of each value of `samples` from position `start` on, while
    /// the value is positive and its bucket lies within `offset ..< end`, so that neither the range
    /// held nor the span changes; stops at the first value that is not (or at the end).
    /// - Returns: the position of the first sample not counted; `samples.count` when all were.
    @inline(__always)
    package mutating func addOneEach(
        valuesOf samples: UnsafeBufferPointer<RecentSample>, from start: Int, layout: ExponentialBucketLayout
    ) -> Int {
        let held = UInt(bitPattern: counts.count)
        guard held > 0 else { return start }
        let offset = self.offset
        return counts.withUnsafeMutableBufferPointer { counts in
            var next = start
            while next < samples.count {
                let value = samples[next].value
                guard value > 0 else { break }
                let position = layout.index(ofMagnitude: value) &- offset
                guard UInt(bitPattern: position) < held else { break }
                counts[position] &+= 1
                next &+= 1
            }
            return next
        }
    }

    @inline(never)
    private mutating func widenAndAdd(_ amount: UInt64, at index: Int) {
        if counts.isEmpty {
            offset = index
            counts = [amount]
        } else if index < offset {
            counts.insert(contentsOf: repeatElement(0, count: offset - index), at: 0)
            offset = index
            counts[0] = amount
        } else {
            counts.append(contentsOf: repeatElement(0, count: index - end))
            counts.append(amount)
        }
    }

    /// The counts at a scale `levels` coarser: bucket `i` becomes bucket `i >> levels` (exact, since a
    /// coarser bucket is the union of `2^levels` finer ones).
    package func downscaled(by levels: Int) -> BucketCounts {
        guard levels > 0, !counts.isEmpty else { return self }
        let newOffset = offset >> levels
        var merged = [UInt64](repeating: 0, count: ((end - 1) >> levels) - newOffset + 1)
        for (position, count) in counts.enumerated() where count != 0 {
            merged[((offset + position) >> levels) - newOffset] &+= count
        }
        return BucketCounts(offset: newOffset, counts: merged)
    }

    /// Adds every count of `other` (at the same scale).
    package mutating func add(_ other: BucketCounts) {
        guard !other.counts.isEmpty else { return }
        guard !counts.isEmpty else {
            self = other
            return
        }
        let newOffset = Swift.min(offset, other.offset)
        let newEnd = Swift.max(end, other.end)
        if newOffset != offset || newEnd != end {
            var widened = [UInt64](repeating: 0, count: newEnd - newOffset)
            for (position, count) in counts.enumerated() { widened[offset - newOffset + position] = count }
            counts = widened
            offset = newOffset
        }
        for (position, count) in other.counts.enumerated() {
            counts[other.offset - offset + position] &+= count
        }
    }

    /// The bytes the dense counts take (their capacity).
    package var allocatedBytes: Int { counts.capacity * MemoryLayout<UInt64>.stride }
}
