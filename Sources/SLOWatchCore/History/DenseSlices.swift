/// The deltas of a history's finest tier: late samples into recently closed slices, kept dense
/// (uncompacted ``ExponentialHistogram`` counts) so that a late sample is a plain increment rather than
/// a decode and re-encode of its compacted slice. A delta holds only what came late; the slice's
/// compacted twin (if any) holds the rest. Sorted by slice index, oldest first; ``MetricHistory``
/// bounds how many it holds (those starting within ``MetricHistory/denseMilliseconds`` of its newest
/// time, e.g. at most 30 slices of 10 s) and merges each into its compacted slice once older.
package struct DenseSlices: Sendable {
    /// The slice indices (in the finest tier), ascending, without duplicates.
    package private(set) var indices: [Int64] = []
    /// The slices, in the order of `indices`.
    package private(set) var histograms: [ExponentialHistogram] = []

    /// How many slices are held.
    package var count: Int { indices.count }

    /// The bytes the slices hold (their dense counts plus their inline size).
    package var bytes: Int { histograms.reduce(0) { $0 + $1.allocatedBytes } }

    /// The position of `index`, or where it would be inserted.
    private func position(of index: Int64) -> Int {
        indices.partitionPoint { $0 >= index }
    }

    /// Counts a finite sample in slice `index`, opening that slice when it holds none yet.
    /// - Returns: the slice's position, valid for ``record(_:atPosition:layout:)`` until a slice is
    ///   added or removed.
    @discardableResult
    package mutating func record(_ value: Double, at index: Int64, layout: ExponentialBucketLayout) -> Int {
        // Most late samples fall in the newest dense slice (the one the open slice just closed).
        var position = indices.count - 1
        if position < 0 || indices[position] != index {
            position = self.position(of: index)
            if position == indices.count || indices[position] != index {
                indices.insert(index, at: position)
                histograms.insert(ExponentialHistogram(scale: layout.scale), at: position)
            }
        }
        histograms[position].record(value, layout: layout)
        return position
    }

    /// Counts a finite sample in the slice at `position`, as returned by the last
    /// ``record(_:at:layout:)`` with no slice added or removed since.
    @inline(__always)
    package mutating func record(_ value: Double, atPosition position: Int, layout: ExponentialBucketLayout) {
        histograms[position].record(value, layout: layout)
    }

    /// Adds a delta at `index` (merged into one held there), as a restored snapshot holds them.
    package mutating func append(_ histogram: ExponentialHistogram, at index: Int64) {
        if let last = indices.last, last >= index {
            let position = position(of: index)
            if indices[position] == index {
                histograms[position].merge(histogram)
            } else {
                indices.insert(index, at: position)
                histograms.insert(histogram, at: position)
            }
            return
        }
        indices.append(index)
        histograms.append(histogram)
    }

    /// Removes and returns the slices with an index ≤ `cutoff` (the oldest ones), oldest first.
    package mutating func removeThrough(_ cutoff: Int64) -> [(index: Int64, histogram: ExponentialHistogram)]
    {
        let end = cutoff == Int64.max ? indices.count : position(of: cutoff &+ 1)
        guard end > 0 else { return [] }
        let removed = (0..<end).map { (indices[$0], histograms[$0]) }
        indices.removeFirst(end)
        histograms.removeFirst(end)
        return removed
    }

    /// Removes the oldest slice; returns the bytes it took, 0 when there is none.
    package mutating func removeOldest() -> Int {
        guard !indices.isEmpty else { return 0 }
        let freed = histograms[0].allocatedBytes
        indices.removeFirst()
        histograms.removeFirst()
        return freed
    }
}

extension MetricHistory {
    /// Merges into the finest tier (its compacted slices and summaries) every delta that starts more
    /// than ``denseMilliseconds`` before the newest time or that the finest tier no longer keeps, and
    /// raises ``compactedThrough`` to match (never to the open slice or beyond).
    mutating func compactAgedDenseSlices() {
        guard newestMilliseconds.isFinite else { return }
        let finest = tiers.finest
        let threshold = max(newestMilliseconds - denseMilliseconds, -Self.timeLimitMilliseconds)
        // Slice i starts before the threshold exactly when i ≤ ⌈threshold / slice⌉ − 1.
        let aged = Int64((threshold / Double(finest.sliceMilliseconds)).rounded(.up)) &- 1
        let expired = finest.sliceIndex(containing: newestMilliseconds) &- Int64(finest.sliceCount)
        let cutoff = min(max(aged, expired), openIndex &- 1)
        guard cutoff > compactedThrough || (dense.indices.first.map { $0 <= cutoff } ?? false) else { return }
        for (index, histogram) in dense.removeThrough(cutoff) {
            mergeIntoClosedTotal(histogram)
            addToTier(0, histogram, at: index)
        }
        compactedThrough = max(compactedThrough, cutoff)
    }
}
