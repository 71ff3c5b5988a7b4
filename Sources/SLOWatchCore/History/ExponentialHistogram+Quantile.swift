extension ExponentialHistogram {
    /// The nearest-rank quantile `q` of the counted samples, from their buckets: the sample of rank
    /// `r = ⌈q·n⌉` (``QuantileSelection/rank(of:count:)``) lies in one bucket `(L, U]`, and the answer
    /// is the value minimising the worst relative error over it, `2·L·U / (L + U)`, clamped to the
    /// exact [``minimum``, ``maximum``]. So `|answer − exact| ≤ relativeErrorBound · |exact|`, with
    /// ``ExponentialBucketLayout/relativeErrorBound`` of the histogram's scale (up to a few ulps from
    /// the irrational boundaries, see ``ExponentialBucketLayout``); zero is answered exactly. Subnormal
    /// buckets are answered within their bucket only.
    /// - Parameter q: the quantile, in [0, 1].
    /// - Returns: nil when the histogram is empty.
    package func quantile(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        let rank = UInt64(QuantileSelection.rank(of: q, count: Int(clamping: count)))
        return value(atRank: rank)
    }

    /// Several quantiles at once (each as ``quantile(_:)``), in the order asked.
    package func quantiles(_ qs: [Double]) -> [Double?] { qs.map { quantile($0) } }

    /// The estimate of the sample of 1-based rank `rank` (1 ... ``count``).
    private func value(atRank rank: UInt64) -> Double? {
        let layout = self.layout
        var seen: UInt64 = 0
        // Most negative first: the largest magnitudes of the negative buckets.
        for (position, bucket) in negative.counts.enumerated().reversed() where bucket != 0 {
            seen &+= bucket
            if seen >= rank { return clamp(-layout.representative(ofIndex: negative.offset + position)) }
        }
        seen &+= zeroCount
        if seen >= rank { return clamp(0) }
        for (position, bucket) in positive.counts.enumerated() where bucket != 0 {
            seen &+= bucket
            if seen >= rank { return clamp(layout.representative(ofIndex: positive.offset + position)) }
        }
        return count > 0 ? maximum : nil
    }

    private func clamp(_ value: Double) -> Double { min(max(value, minimum), maximum) }

    /// The mean of the counted samples, nil when empty.
    package var mean: Double? { count > 0 ? sum / Double(count) : nil }
}
