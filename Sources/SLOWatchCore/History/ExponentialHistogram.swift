/// A histogram of samples in the ``ExponentialBucketLayout`` (OpenTelemetry's ExponentialHistogram,
/// Prometheus's native histograms), with the exact count, sum, minimum and maximum.
///
/// - Positive values count in `positive` bucket `index(ofMagnitude: v)`; negative values in the
///   mirrored `negative` buckets by their magnitude (bucket `i` holds `[−base^(i+1), −base^i)`); zero
///   (either sign) in ``zeroCount``. Every finite value is counted; none is dropped.
/// - Each sign spans at most ``maximumBuckets`` buckets. A value that would widen it further first
///   downscales the whole histogram (exactly, by whole levels) until it fits, so a metric whose values
///   span more than ~64 octaves is kept at a coarser scale (down to 1, where every double fits) and
///   its quantiles report that scale's error bound.
package struct ExponentialHistogram: Sendable, Equatable {
    /// The most buckets one sign spans: 4,096 (64 octaves at scale 6; all doubles at scale 1).
    package static let maximumBuckets = 4_096

    /// The scale of the buckets.
    package private(set) var scale: Int
    /// Samples equal to 0.
    package private(set) var zeroCount: UInt64 = 0
    /// Buckets of the positive samples.
    package private(set) var positive = BucketCounts()
    /// Buckets of the magnitudes of the negative samples.
    package private(set) var negative = BucketCounts()
    /// Samples counted.
    package private(set) var count: UInt64 = 0
    /// Their exact sum (as a `Double` accumulates it).
    package private(set) var sum: Double = 0
    /// The smallest sample; +∞ while empty.
    package private(set) var minimum: Double = .infinity
    /// The largest sample; −∞ while empty.
    package private(set) var maximum: Double = -.infinity

    /// An empty histogram at `scale` (clamped to 0 ... ``ExponentialBucketLayout/maximumScale``).
    package init(scale: Int) {
        self.scale = min(max(scale, 0), ExponentialBucketLayout.maximumScale)
    }

    /// Creates a histogram from its parts (as decoded from a compacted slice).
    package init(
        scale: Int, zeroCount: UInt64, positive: BucketCounts, negative: BucketCounts, count: UInt64,
        sum: Double, minimum: Double, maximum: Double
    ) {
        self.scale = scale
        self.zeroCount = zeroCount
        self.positive = positive
        self.negative = negative
        self.count = count
        self.sum = sum
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Whether no sample is counted.
    package var isEmpty: Bool { count == 0 }

    /// The layout of this histogram's scale.
    package var layout: ExponentialBucketLayout { ExponentialBucketLayout.at(scale: scale) }

    /// Counts one finite sample.
    /// - Parameter layout: the layout of ``scale``, passed so the hot path skips the table lookup; a
    ///   layout of another scale is ignored and the right one looked up.
    @inline(__always)
    package mutating func record(_ value: Double, layout: ExponentialBucketLayout) {
        count &+= 1
        sum += value
        if value < minimum { minimum = value }
        if value > maximum { maximum = value }
        countInBucket(value, layout: layout)
    }

    /// Counts `value` in its bucket (or in ``zeroCount``), not in the totals: the second half of
    /// ``record(_:layout:)``.
    @inline(__always)
    private mutating func countInBucket(_ value: Double, layout: ExponentialBucketLayout) {
        if value == 0 {
            zeroCount &+= 1
            return
        }
        // No copy of `layout` (its tables are shared by every thread: a copy's retain and release
        // would bounce their reference counts between cores on every sample).
        let index = layout.scale == scale ? layout.index(ofMagnitude: value) : indexAtOwnScale(value)
        if value > 0 {
            if positive.span(including: index) > Self.maximumBuckets { return recordWidening(value) }
            positive.add(1, at: index)
        } else {
            if negative.span(including: index) > Self.maximumBuckets { return recordWidening(value) }
            negative.add(1, at: index)
        }
    }

    /// Counts the values of `samples` (finite), in order, exactly as one ``record(_:layout:)`` each
    /// would: the same count, the same sum (the same additions in the same order), minimum, maximum
    /// and buckets, and the same downscaling if a value widens the span too far.
    ///
    /// The totals take one pass; the buckets another, in which a run of positive values whose buckets
    /// lie within the counts already held is counted under one uniqueness check of the counts, with no
    /// span check (a bucket already held cannot widen the span). Any other value (zero, negative, a new
    /// bucket) takes the path of ``record(_:layout:)``. Buckets are counted after every total, which
    /// changes nothing: downscaling reads and changes only the buckets and the scale.
    /// - Parameter layout: the layout of ``scale`` (another scale's layout is ignored, as in
    ///   ``record(_:layout:)``).
    package mutating func record(
        valuesOf samples: UnsafeBufferPointer<RecentSample>, layout: ExponentialBucketLayout
    ) {
        guard !samples.isEmpty else { return }
        var sum = self.sum
        var minimum = self.minimum
        var maximum = self.maximum
        for sample in samples {
            let value = sample.value
            sum += value
            if value < minimum { minimum = value }
            if value > maximum { maximum = value }
        }
        self.sum = sum
        self.minimum = minimum
        self.maximum = maximum
        count &+= UInt64(samples.count)
        var next = 0
        while next < samples.count {
            // The layout is this scale's until a value downscales the histogram.
            if samples[next].value > 0, layout.scale == scale {
                next = positive.addOneEach(valuesOf: samples, from: next, layout: layout)
                guard next < samples.count else { return }
            }
            countInBucket(samples[next].value, layout: layout)
            next += 1
        }
    }

    /// The bucket of `value` at this histogram's scale, when the caller passed another scale's layout.
    @inline(never)
    private func indexAtOwnScale(_ value: Double) -> Int {
        ExponentialBucketLayout.at(scale: scale).index(ofMagnitude: value)
    }

    /// Downscales until `value`'s bucket fits, then counts it (the totals are already counted).
    @inline(never)
    private mutating func recordWidening(_ value: Double) {
        while scale > 0 {
            downscale(by: 1)
            let index = layout.index(ofMagnitude: value)
            let counts = value > 0 ? positive : negative
            if counts.span(including: index) <= Self.maximumBuckets {
                if value > 0 { positive.add(1, at: index) } else { negative.add(1, at: index) }
                return
            }
        }
        let index = layout.index(ofMagnitude: value)
        if value > 0 { positive.add(1, at: index) } else { negative.add(1, at: index) }
    }

    /// Makes the buckets `levels` scales coarser, exactly (each coarser bucket is the union of
    /// `2^levels` finer ones); the totals do not change.
    package mutating func downscale(by levels: Int) {
        let levels = min(max(levels, 0), scale)
        guard levels > 0 else { return }
        scale -= levels
        positive = positive.downscaled(by: levels)
        negative = negative.downscaled(by: levels)
    }

    /// Adds every sample of `other`, exactly: at the coarser of the two scales (further downscaled
    /// when the union would span more than ``maximumBuckets``).
    package mutating func merge(_ other: ExponentialHistogram) {
        guard !other.isEmpty else { return }
        var other = other
        if other.scale < scale { downscale(by: scale - other.scale) }
        if scale < other.scale { other.downscale(by: other.scale - scale) }
        while scale > 0,
            Self.unionSpan(positive, other.positive) > Self.maximumBuckets
                || Self.unionSpan(negative, other.negative) > Self.maximumBuckets
        {
            downscale(by: 1)
            other.downscale(by: 1)
        }
        positive.add(other.positive)
        negative.add(other.negative)
        zeroCount &+= other.zeroCount
        count &+= other.count
        sum += other.sum
        minimum = min(minimum, other.minimum)
        maximum = max(maximum, other.maximum)
    }

    private static func unionSpan(_ a: BucketCounts, _ b: BucketCounts) -> Int {
        if a.isEmpty { return b.counts.count }
        if b.isEmpty { return a.counts.count }
        return max(a.end, b.end) - min(a.offset, b.offset)
    }

    /// The bytes the histogram holds on the heap (its dense counts) plus its inline size.
    package var allocatedBytes: Int {
        MemoryLayout<ExponentialHistogram>.stride + positive.allocatedBytes + negative.allocatedBytes
    }
}
