/// A compacted slice as bytes, for a snapshot: written as ``codedBytes``, read back with
/// ``init(validating:)``, which accepts exactly the bytes a ``CompactHistogram`` writes.
extension CompactHistogram {
    /// The coded histogram (see the type's layout), for a snapshot.
    package var codedBytes: [UInt8] { coded }

    /// The slice whose coded bytes are `bytes`, or nil when they are not ones a ``CompactHistogram``
    /// writes: a scale outside 0 ... ``ExponentialBucketLayout/maximumScale``, a sign spanning more
    /// than ``ExponentialHistogram/maximumBuckets`` buckets, a count that is not the zero count plus
    /// the buckets' counts, or anything that does not code back to the same bytes. Never allocates
    /// more than the bucket bound for a damaged length, never traps.
    package init?(validating bytes: [UInt8]) {
        var reader = BitReader(bytes)
        let totals = Self.readTotals(&reader)
        guard (0...ExponentialBucketLayout.maximumScale).contains(totals.scale) else { return nil }
        let positive = BucketCountCoding.decode(
            from: &reader, maximumLength: ExponentialHistogram.maximumBuckets)
        let negative = BucketCountCoding.decode(
            from: &reader, maximumLength: ExponentialHistogram.maximumBuckets)
        var total = totals.zeroCount
        for count in positive.counts + negative.counts {
            let (sum, overflow) = total.addingReportingOverflow(count)
            guard !overflow else { return nil }
            total = sum
        }
        guard total == totals.count else { return nil }
        let histogram = ExponentialHistogram(
            scale: totals.scale, zeroCount: totals.zeroCount, positive: positive, negative: negative,
            count: totals.count, sum: totals.sum, minimum: totals.minimum, maximum: totals.maximum)
        let coded = CompactHistogram(histogram)
        guard coded.coded == bytes else { return nil }
        self = coded
    }
}
