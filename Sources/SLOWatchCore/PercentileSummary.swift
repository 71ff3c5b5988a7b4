/// One extra quantile asked for, and its value.
public struct QuantileValue: Sendable, Equatable {
    /// The quantile, in [0, 1].
    public var quantile: Double
    /// The nearest-rank value: the ⌈quantile·count⌉-th smallest sample (the minimum for 0).
    public var value: Double

    /// Creates a quantile value.
    package init(quantile: Double, value: Double) {
        self.quantile = quantile
        self.value = value
    }
}

/// Exact nearest-rank statistics over a metric's samples (optionally only those in a time window).
///
/// Every statistic is nil when `count` is 0. Values are in the metric's unit.
public struct PercentileSummary: Sendable, Equatable {
    /// The quantiles every summary carries: p50, p90, p95, p99 and p99.9.
    package static let standardQuantiles: [Double] = [0.5, 0.9, 0.95, 0.99, 0.999]

    /// The quantiles whose values a summary holds in its own fields, with those fields: 0 (`min`), the
    /// standard ones and 1 (`max`). A registry's cached default summary answers exactly these.
    static let carriedQuantiles: [(quantile: Double, field: Field)] = [
        (0, \.min), (0.5, \.p50), (0.9, \.p90), (0.95, \.p95), (0.99, \.p99), (0.999, \.p999), (1, \.max),
    ]

    /// A field holding one quantile's value.
    typealias Field = any KeyPath<PercentileSummary, Double?> & Sendable

    /// How many samples were used.
    public var count: Int
    /// The smallest sample.
    public var min: Double?
    /// The largest sample.
    public var max: Double?
    /// The arithmetic mean.
    public var mean: Double?
    /// The sum of the samples used (±infinity when it overflows).
    public var sum: Double?
    /// The ⌈0.5·count⌉-th smallest sample.
    public var p50: Double?
    /// The ⌈0.9·count⌉-th smallest sample.
    public var p90: Double?
    /// The ⌈0.95·count⌉-th smallest sample.
    public var p95: Double?
    /// The ⌈0.99·count⌉-th smallest sample.
    public var p99: Double?
    /// The ⌈0.999·count⌉-th smallest sample.
    public var p999: Double?
    /// The extra quantiles asked for, in the order asked (empty when `count` is 0).
    public var quantiles: [QuantileValue]
    /// The smallest timestamp among the samples used, ms since the epoch.
    public var oldestTimestamp: Double?
    /// The largest timestamp among the samples used, ms since the epoch.
    public var newestTimestamp: Double?
    /// Whether every statistic is exact: true when the ring held every sample asked for; false when a
    /// window reached past it and the answer came from the metric's history.
    public var exact = true
    /// For an answer from history, the worst relative error of each quantile (`(base − 1)/(base + 1)`
    /// of the buckets' scale: 0.0054 at scale 6); count, sum, mean, min and max stay exact. Nil when
    /// ``exact``.
    public var relativeError: Double?
    /// For an answer from history, the start of the span covered, in ms since the epoch: now − window
    /// rounded down to a slice boundary. Nil for an exact answer.
    public var fromMilliseconds: Double?
    /// For an answer from history, the end of the span covered (the time of the query), in ms since
    /// the epoch. Nil for an exact answer.
    public var toMilliseconds: Double?

    /// A summary of no samples: `count` 0 and every statistic nil.
    package static let empty = PercentileSummary(
        count: 0, min: nil, max: nil, mean: nil, sum: nil, p50: nil, p90: nil, p95: nil, p99: nil, p999: nil,
        quantiles: [], oldestTimestamp: nil, newestTimestamp: nil)

    /// Creates a summary from its fields.
    package init(
        count: Int, min: Double?, max: Double?, mean: Double?, sum: Double?, p50: Double?, p90: Double?,
        p95: Double?,
        p99: Double?, p999: Double?, quantiles: [QuantileValue], oldestTimestamp: Double?,
        newestTimestamp: Double?
    ) {
        self.count = count
        self.min = min
        self.max = max
        self.mean = mean
        self.sum = sum
        self.p50 = p50
        self.p90 = p90
        self.p95 = p95
        self.p99 = p99
        self.p999 = p999
        self.quantiles = quantiles
        self.oldestTimestamp = oldestTimestamp
        self.newestTimestamp = newestTimestamp
    }

    /// The value at quantile `q`: the standard fields for 0 (min), 0.5, 0.9, 0.95, 0.99, 0.999 and
    /// 1 (max), else the first matching entry of `quantiles`; nil when absent or when empty.
    public func value(atQuantile q: Double) -> Double? {
        if let carried = Self.carriedQuantiles.first(where: { $0.quantile == q }) {
            return self[keyPath: carried.field]
        }
        return quantiles.first { $0.quantile == q }?.value
    }
}
