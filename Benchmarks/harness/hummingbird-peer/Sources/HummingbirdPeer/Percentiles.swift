/// Linear interpolation between the closest ranks of a sorted, non-empty array (rank = q · (n − 1)).
///
/// - Parameters:
///   - sorted: values in ascending order; must not be empty.
///   - q: the quantile in [0, 1].
func percentile(_ sorted: [Double], _ q: Double) -> Double {
    let rank = q * Double(sorted.count - 1)
    let lo = Int(rank.rounded(.down))
    let hi = Swift.min(lo + 1, sorted.count - 1)
    let frac = rank - Double(lo)
    return sorted[lo] + (sorted[hi] - sorted[lo]) * frac
}

/// Summarises a metric's values by sorting a copy; nil when there are no values.
func summarize(metric: String, values: [Double]) -> PercentilesResponse? {
    let sorted = values.sorted()
    guard let first = sorted.first, let last = sorted.last else { return nil }
    let sum = sorted.reduce(0, +)
    return PercentilesResponse(
        metric: metric,
        count: sorted.count,
        min: first,
        max: last,
        mean: sum / Double(sorted.count),
        p50: percentile(sorted, 0.50),
        p90: percentile(sorted, 0.90),
        p95: percentile(sorted, 0.95),
        p99: percentile(sorted, 0.99),
        p999: percentile(sorted, 0.999)
    )
}
