import SLOWatchCore
import SLOWatchProtobuf

/// An ``ExponentialHistogram`` as a Prometheus native histogram (`io.prometheus.client.Histogram`
/// with integer, delta-encoded buckets), losslessly: same buckets, same counts.
///
/// **Index.** slowatch's bucket `i` holds the magnitudes in `(base^i, base^(i+1)]`; Prometheus's
/// native bucket `k` holds `(base^(k−1), base^k]`. So `k = i + 1`: the value 1 (slowatch bucket −1)
/// is Prometheus's bucket 0, whose upper bound is `base^0 = 1`.
///
/// **Spans and deltas** (as the `metrics.proto` comments specify): a span is a run of consecutive
/// buckets; the first span's offset is the index of its first bucket, every later span's offset is
/// the gap (buckets skipped) after the previous span. Deltas are the counts of the spans' buckets,
/// in order, each minus the previous one (the first minus 0). A run of up to ``maximumGapKept`` empty
/// buckets stays inside a span (as client_golang does: cheaper than a new span); a longer run splits.
/// Negative values go in the negative spans and deltas by their magnitude.
///
/// **Schema and zero bucket.** `schema` is the histogram's scale (after any downscale); the zero
/// threshold is 0, so the zero bucket holds exact zeros only, as ``ExponentialHistogram`` counts them.
enum NativeHistogramEncoding {
    /// The longest run of empty buckets kept inside a span rather than splitting it.
    static let maximumGapKept = 2

    /// The message for `histogram`.
    static func histogram(_ histogram: ExponentialHistogram) -> Io_Prometheus_Client_Histogram {
        var message = Io_Prometheus_Client_Histogram()
        message.sampleCount = histogram.count
        message.sampleSum = histogram.sum
        message.schema = Int32(histogram.scale)
        message.zeroThreshold = 0
        message.zeroCount = histogram.zeroCount
        let positive = spansAndDeltas(histogram.positive)
        message.positiveSpan = positive.spans
        message.positiveDelta = positive.deltas
        let negative = spansAndDeltas(histogram.negative)
        message.negativeSpan = negative.spans
        message.negativeDelta = negative.deltas
        return message
    }

    /// The spans and deltas of one sign's counts (in Prometheus's indices, `k = i + 1`).
    static func spansAndDeltas(
        _ counts: BucketCounts
    ) -> (spans: [Io_Prometheus_Client_BucketSpan], deltas: [Int64]) {
        var spans: [Io_Prometheus_Client_BucketSpan] = []
        var deltas: [Int64] = []
        let values = counts.counts
        var previousCount: Int64 = 0
        // The Prometheus index one past the last bucket of the previous span.
        var previousEnd: Int?
        var position = 0
        while position < values.count {
            // A span starts at a non-empty bucket (BucketCounts is trimmed, so the first is one).
            guard values[position] != 0 else {
                position += 1
                continue
            }
            let start = position
            var end = position + 1
            // Extend over non-empty buckets and over gaps of at most maximumGapKept empty ones.
            while end < values.count {
                if values[end] != 0 {
                    end += 1
                    continue
                }
                var gapEnd = end
                while gapEnd < values.count, values[gapEnd] == 0 { gapEnd += 1 }
                guard gapEnd < values.count, gapEnd - end <= maximumGapKept else { break }
                end = gapEnd
            }
            let firstIndex = counts.offset + start + 1
            var span = Io_Prometheus_Client_BucketSpan()
            span.offset = Int32(truncatingIfNeeded: previousEnd.map { firstIndex - $0 } ?? firstIndex)
            span.length = UInt32(end - start)
            spans.append(span)
            for count in values[start..<end] {
                let current = Int64(truncatingIfNeeded: count)
                deltas.append(current &- previousCount)
                previousCount = current
            }
            previousEnd = firstIndex + (end - start)
            position = end
        }
        return (spans, deltas)
    }
}
