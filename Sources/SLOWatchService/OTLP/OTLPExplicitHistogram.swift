import SLOWatchCore
import SLOWatchProtobuf

/// The rule for explicit-bucket (classic) histogram points: each bucket's count is placed at the
/// bucket's upper bound (the last, unbounded bucket at the point's `max`, or at its lower bound when
/// the point has no `max`), clamped to the point's `min` and `max` when it has them, and then counted
/// in history's exponential buckets.
///
/// **Error.** Every sample is placed at or above its true value and at most one bucket's width above it
/// (the last bucket: at most `max` minus the last bound), so a quantile from history is never below
/// the true one and at most one explicit bucket's width above it, plus history's own relative error.
/// The count is exact; the sum, minimum and maximum are the point's when it has them.
enum OTLPExplicitHistogram {
    typealias Point = Opentelemetry_Proto_Metrics_V1_HistogramDataPoint

    /// Why a point cannot be converted.
    struct Refusal: Error {
        /// The rule it broke, as a phrase ("its explicit_bounds are not increasing").
        let reason: String
    }

    /// The histogram of `point` at `scale` by the rule above.
    /// - Throws: ``Refusal`` for bounds that are not finite and strictly increasing, bucket counts that do
    ///   not number one more than the bounds, a count that is not their sum, or a non-finite sum, min
    ///   or max.
    static func histogram(of point: Point, scale: Int) throws(Refusal) -> ExponentialHistogram {
        let bounds = point.explicitBounds
        let counts = point.bucketCounts
        guard counts.count == bounds.count + 1 || (counts.isEmpty && point.count == 0) else {
            throw Refusal(
                reason:
                    "it has \(counts.count) bucket_counts for \(bounds.count) explicit_bounds (one more is needed)"
            )
        }
        guard bounds.allSatisfy(\.isFinite), zip(bounds, bounds.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw Refusal(reason: "its explicit_bounds are not finite and strictly increasing")
        }
        for (name, present, value) in [
            ("sum", point.hasSum, point.sum), ("min", point.hasMin, point.min),
            ("max", point.hasMax, point.max),
        ] where present && !value.isFinite {
            throw Refusal(reason: "its \(name) is not a finite number")
        }
        var total: UInt64 = 0
        for count in counts {
            let (next, overflow) = total.addingReportingOverflow(count)
            guard !overflow else { throw Refusal(reason: "its bucket_counts overflow 64 bits") }
            total = next
        }
        guard total == point.count else {
            throw Refusal(reason: "its count \(point.count) is not the sum of its bucket_counts, \(total)")
        }
        let layout = ExponentialBucketLayout.at(scale: scale)
        var merged = ExponentialHistogram(scale: scale)
        for (position, count) in counts.enumerated() where count > 0 {
            var value =
                position < bounds.count ? bounds[position] : (point.hasMax ? point.max : bounds.last ?? 0)
            if point.hasMax { value = min(value, point.max) }
            if point.hasMin { value = max(value, point.min) }
            merged.merge(single(value, count: count, layout: layout))
        }
        guard !merged.isEmpty else { return merged }
        return ExponentialHistogram(
            scale: merged.scale, zeroCount: merged.zeroCount, positive: merged.positive,
            negative: merged.negative,
            count: merged.count, sum: point.hasSum ? point.sum : merged.sum,
            minimum: point.hasMin ? point.min : merged.minimum,
            maximum: point.hasMax ? point.max : merged.maximum)
    }

    /// `count` samples of `value` (finite) at `layout`'s scale.
    private static func single(_ value: Double, count: UInt64, layout: ExponentialBucketLayout)
        -> ExponentialHistogram
    {
        let bucket =
            value == 0
            ? BucketCounts() : BucketCounts(offset: layout.index(ofMagnitude: abs(value)), counts: [count])
        return ExponentialHistogram(
            scale: layout.scale, zeroCount: value == 0 ? count : 0,
            positive: value > 0 ? bucket : BucketCounts(),
            negative: value < 0 ? bucket : BucketCounts(), count: count, sum: value * Double(count),
            minimum: value,
            maximum: value)
    }
}
