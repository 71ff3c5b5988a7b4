extension ExponentialHistogram {
    /// The samples this cumulative histogram holds beyond `earlier`, an older reading of the same
    /// cumulative series: bucket by bucket (both at the coarser of the two scales, exactly), with the
    /// count and sum differenced. The minimum and maximum of the difference are not known from two
    /// cumulative readings; they are taken from the outermost buckets the difference counts (at most one
    /// bucket width beyond the true extremes), and kept within this reading's own extremes.
    /// - Returns: nil when `earlier` is not contained in this one (a bucket, the zero count or the count
    ///   went down): the series was reset and this reading counts on its own.
    package func subtracting(_ earlier: ExponentialHistogram) -> ExponentialHistogram? {
        var current = self
        var earlier = earlier
        if earlier.scale > current.scale { earlier.downscale(by: earlier.scale - current.scale) }
        if current.scale > earlier.scale { current.downscale(by: current.scale - earlier.scale) }
        guard current.count >= earlier.count, current.zeroCount >= earlier.zeroCount,
            let positive = Self.difference(current.positive, earlier.positive),
            let negative = Self.difference(current.negative, earlier.negative)
        else { return nil }
        let count = current.count - earlier.count
        guard count > 0 else { return ExponentialHistogram(scale: current.scale) }
        let zeroCount = current.zeroCount - earlier.zeroCount
        let estimate = try? Self.imported(
            scale: current.scale, zeroCount: zeroCount, positiveOffset: positive.offset,
            positive: positive.counts, negativeOffset: negative.offset, negative: negative.counts,
            count: count,
            sum: current.sum - earlier.sum, minimum: nil, maximum: nil)
        guard let estimate else { return nil }
        return ExponentialHistogram(
            scale: current.scale, zeroCount: zeroCount, positive: positive, negative: negative, count: count,
            sum: current.sum - earlier.sum, minimum: max(estimate.minimum, minimum),
            maximum: min(estimate.maximum, maximum))
    }

    /// `later` minus `earlier`, bucket by bucket; nil when a bucket of `earlier` holds more.
    private static func difference(_ later: BucketCounts, _ earlier: BucketCounts) -> BucketCounts? {
        guard !earlier.isEmpty else { return later }
        guard !later.isEmpty, earlier.offset >= later.offset, earlier.end <= later.end else { return nil }
        var counts = later.counts
        for (position, value) in earlier.counts.enumerated() {
            let target = earlier.offset - later.offset + position
            guard counts[target] >= value else { return nil }
            counts[target] -= value
        }
        return BucketCounts(offset: later.offset, counts: counts)
    }
}
