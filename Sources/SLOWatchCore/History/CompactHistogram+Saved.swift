/// The versions of the slice coding a snapshot's history records use.
package enum SliceCoding: Int, Sendable {
    /// The first coding (``BucketCountCodingVersion1``, totals first): snapshot record kinds 6, 7
    /// and 10.
    case version1 = 1
    /// The current coding (``CompactHistogram``, ``BucketCountCoding``: slope-corrected prediction,
    /// zero runs, totals against the buckets): kinds 11, 12 and 13.
    case version2 = 2

    /// The coding slices are written in.
    package static let current = SliceCoding.version2
}

/// A compacted slice as bytes, for a snapshot: written as ``codedBytes``, read back with
/// ``init(validating:version:)``, which accepts exactly the bytes a ``CompactHistogram`` writes in
/// that version.
extension CompactHistogram {
    /// The coded histogram (see the type's layout), for a snapshot: ``SliceCoding/current``.
    package var codedBytes: [UInt8] { coded }

    /// The slice whose coded bytes, in coding `version`, are `bytes` (coded again in the current
    /// version), or nil when they are not ones a ``CompactHistogram`` writes in that version: a scale
    /// outside 0 ... ``ExponentialBucketLayout/maximumScale``, a sign spanning more than
    /// ``ExponentialHistogram/maximumBuckets`` buckets, a count that is not the zero count plus the
    /// buckets' counts, or anything that does not code back to the same bytes. Never allocates more
    /// than the bucket bound for a damaged length, never traps.
    package init?(validating bytes: [UInt8], version: SliceCoding = .current) {
        let limit = ExponentialHistogram.maximumBuckets
        let histogram =
            version == .version1
            ? Self.decodeVersion1(bytes, maximumLength: limit)
            : Self.decode(bytes, range: bytes.startIndex..<bytes.endIndex, maximumLength: limit)
        guard (0...ExponentialBucketLayout.maximumScale).contains(histogram.scale) else { return nil }
        var total = histogram.zeroCount
        for count in histogram.positive.counts + histogram.negative.counts {
            let (sum, overflow) = total.addingReportingOverflow(count)
            guard !overflow else { return nil }
            total = sum
        }
        guard total == histogram.count else { return nil }
        let coded = CompactHistogram(histogram)
        switch version {
        case .version1: guard Self.codedInVersion1(histogram) == bytes else { return nil }
        case .version2: guard coded.coded == bytes else { return nil }
        }
        self = coded
    }
}
