#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ExponentialHistogram {
    /// Why ``imported(scale:zeroCount:positiveOffset:positive:negativeOffset:negative:count:sum:minimum:maximum:)``
    /// refused a histogram; ``message`` says so in a sentence.
    package enum ImportError: Error, Equatable, Sendable {
        /// The scale is below 0: buckets wider than an octave, which the history does not keep.
        case scaleBelowZero(Int)
        /// `count` is not `zeroCount` plus the bucket counts (or that sum overflows 64 bits).
        case countMismatch(declared: UInt64)
        /// `sum`, `minimum` or `maximum` is NaN or infinite.
        case nonFinite(String)

        /// The reason, naming the field and the rule.
        package var message: String {
            switch self {
            case .scaleBelowZero(let scale):
                "scale \(scale) is below 0, the coarsest scale slowatch keeps"
            case .countMismatch(let declared):
                "count \(declared) is not zero_count plus the bucket counts"
            case .nonFinite(let field):
                "\(field) is not a finite number"
            }
        }
    }

    /// A histogram built from the parts of an OpenTelemetry exponential histogram point: the same bucket
    /// layout (bucket `offset + k` of a sign holds magnitudes in `(base^i, base^(i+1)]`).
    ///
    /// - A scale finer than ``ExponentialBucketLayout/maximumScale`` is downscaled to it, exactly
    ///   (bucket `i` joins bucket `i >> levels`).
    /// - A missing `minimum` or `maximum` is taken from the outermost counted bucket's outer bound (or 0
    ///   for the zero bucket), so it may overstate the true extreme by at most one bucket width.
    /// - A missing `sum` is estimated from each bucket's midpoint: within the scale's relative bucket
    ///   width (0.54 % at scale 6) of the true sum of magnitudes per sign.
    /// - Throws: ``ImportError`` for a scale below 0, counts that do not add up to `count`, or a
    ///   non-finite sum, minimum or maximum.
    package static func imported(
        scale: Int, zeroCount: UInt64, positiveOffset: Int, positive: [UInt64], negativeOffset: Int,
        negative: [UInt64], count: UInt64, sum: Double?, minimum: Double?, maximum: Double?
    ) throws(ImportError) -> ExponentialHistogram {
        guard scale >= 0 else { throw .scaleBelowZero(scale) }
        var total = zeroCount
        for value in positive + negative {
            let (next, overflow) = total.addingReportingOverflow(value)
            guard !overflow else { throw .countMismatch(declared: count) }
            total = next
        }
        guard total == count else { throw .countMismatch(declared: count) }
        for (name, value) in [("sum", sum), ("min", minimum), ("max", maximum)] {
            if let value, !value.isFinite { throw .nonFinite(name) }
        }
        let target = min(scale, ExponentialBucketLayout.maximumScale)
        let shift = scale - target
        let positiveCounts = downscaled(offset: positiveOffset, counts: positive, by: shift)
        let negativeCounts = downscaled(offset: negativeOffset, counts: negative, by: shift)
        let base = exp2(exp2(Double(-target)))
        func bound(_ index: Int) -> Double { exp2(Double(index) * exp2(Double(-target))) }
        let lowest: Double =
            if !negativeCounts.isEmpty { -bound(negativeCounts.end) } else if zeroCount > 0 { 0 } else {
                bound(positiveCounts.offset)
            }
        let highest: Double =
            if !positiveCounts.isEmpty { bound(positiveCounts.end) } else if zeroCount > 0 { 0 } else {
                -bound(negativeCounts.offset)
            }
        var estimate = 0.0
        for (offset, element) in positiveCounts.counts.enumerated() where element > 0 {
            estimate += Double(element) * bound(positiveCounts.offset + offset) * (1 + base) / 2
        }
        for (offset, element) in negativeCounts.counts.enumerated() where element > 0 {
            estimate -= Double(element) * bound(negativeCounts.offset + offset) * (1 + base) / 2
        }
        return ExponentialHistogram(
            scale: target, zeroCount: zeroCount, positive: positiveCounts, negative: negativeCounts,
            count: count, sum: sum ?? estimate, minimum: count == 0 ? .infinity : (minimum ?? lowest),
            maximum: count == 0 ? -.infinity : (maximum ?? highest))
    }

    /// `counts` from bucket `offset`, each bucket `i` moved to `i >> levels` (exact: a coarser bucket
    /// is the union of `2^levels` finer ones).
    private static func downscaled(offset: Int, counts: [UInt64], by levels: Int) -> BucketCounts {
        guard levels > 0, !counts.isEmpty else { return BucketCounts(offset: offset, counts: counts) }
        let first = offset >> levels
        let last = (offset + counts.count - 1) >> levels
        var merged = [UInt64](repeating: 0, count: last - first + 1)
        for (position, value) in counts.enumerated() {
            merged[((offset + position) >> levels) - first] &+= value
        }
        return BucketCounts(offset: first, counts: merged)
    }
}
