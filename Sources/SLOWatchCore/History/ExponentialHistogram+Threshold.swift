/// Counting a histogram's samples on the good side of a threshold, for backfilling error-budget counts
/// from history.
///
/// Buckets are ordered like their values, and ``ExponentialBucketLayout/index(ofMagnitude:)`` is exact
/// for every double, so each bucket is on one side of the threshold `T`, except the one holding `T`
/// itself: that bucket is **mixed**, unless `T` is its largest double (then every value in it is ≤ `T`)
/// or its smallest (every value is ≥ `T`). A mixed bucket's samples are counted **bad**, so a count
/// from history never makes a budget look better than it is, and its error is at most the samples of
/// that one bucket. Two shortcuts are exact as well: when the minimum and the maximum are both good
/// (or both bad), so is every sample.
extension ExponentialHistogram {
    /// The samples on the good side of `threshold` for `direction` (≤ for `above`, ≥ for `below`),
    /// counting the samples of the bucket that holds the threshold as bad unless the whole bucket is
    /// good; and whether that count is exact (no sample was in a mixed bucket).
    /// - Parameter threshold: finite.
    package func goodCount(threshold: Double, direction: SLODirection) -> (good: UInt64, exact: Bool) {
        let isGood = { (value: Double) in !direction.isBreached(actual: value, threshold: threshold) }
        guard count > 0 else { return (0, true) }
        let minimumGood = isGood(minimum)
        if minimumGood == isGood(maximum) { return (minimumGood ? count : 0, true) }
        var good: UInt64 = isGood(0) ? zeroCount : 0
        var mixed: UInt64 = 0
        let layout = self.layout
        for (counts, sign) in [(positive, 1.0), (negative, -1.0)] {
            for (position, bucketCount) in counts.counts.enumerated() where bucketCount > 0 {
                switch Self.side(
                    ofBucket: counts.offset + position, sign: sign, threshold: threshold, layout: layout)
                {
                case .below: if isGood(-.infinity) { good &+= bucketCount }
                case .above: if isGood(.infinity) { good &+= bucketCount }
                case .atOrBelow:
                    if direction == .above { good &+= bucketCount } else { mixed &+= bucketCount }
                case .atOrAbove:
                    if direction == .below { good &+= bucketCount } else { mixed &+= bucketCount }
                case .mixed: mixed &+= bucketCount
                }
            }
        }
        return (good, mixed == 0)
    }

    /// Where a bucket's values lie against a threshold.
    enum ThresholdSide: Equatable {
        /// Every value is below the threshold.
        case below
        /// Every value is above it.
        case above
        /// Every value is ≤ it, and the largest is it (the threshold is the bucket's top double).
        case atOrBelow
        /// Every value is ≥ it, and the smallest is it (the threshold is the bucket's bottom double).
        case atOrAbove
        /// Values lie on both sides.
        case mixed
    }

    /// Where the values of bucket `index` of the `sign` side (1 positive, −1 negative magnitudes) lie
    /// against `threshold` (finite).
    static func side(
        ofBucket index: Int, sign: Double, threshold: Double, layout: ExponentialBucketLayout
    ) -> ThresholdSide {
        // Positive buckets hold values > 0, negative ones values < 0.
        if threshold == 0 || (threshold > 0) != (sign > 0) {
            return sign > 0 ? .above : .below
        }
        let magnitude = Swift.abs(threshold)
        let holding = layout.index(ofMagnitude: magnitude)
        // On the negative side a larger magnitude is a smaller value: compare magnitudes, then flip.
        let magnitudeSide: ThresholdSide
        if index < holding {
            magnitudeSide = .below
        } else if index > holding {
            magnitudeSide = .above
        } else if layout.index(ofMagnitude: magnitude.nextUp) != holding {
            magnitudeSide = .atOrBelow
        } else if magnitude.nextDown > 0, layout.index(ofMagnitude: magnitude.nextDown) != holding {
            magnitudeSide = .atOrAbove
        } else {
            magnitudeSide = .mixed
        }
        guard sign < 0 else { return magnitudeSide }
        switch magnitudeSide {
        case .below: return .above
        case .above: return .below
        case .atOrBelow: return .atOrAbove
        case .atOrAbove: return .atOrBelow
        case .mixed: return .mixed
        }
    }
}
