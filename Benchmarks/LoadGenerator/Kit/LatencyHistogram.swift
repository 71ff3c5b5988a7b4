/// An HDR-style log-linear histogram of latencies in ns, with three significant decimal digits.
///
/// Values below 2,048 ns are counted exactly; above, every power-of-two range [2^k, 2^(k+1)) is split
/// into 1,024 equal sub-buckets, so a reported value is within 1/1,024 (under 0.1 %) of the recorded
/// one. The counts array has a fixed size (`bucketCount`, about 260 KB) whatever is recorded, so memory
/// stays bounded; values above `highestTrackable` (about 18 minutes) land in the last bucket. The exact
/// minimum and maximum are kept beside the buckets.
public struct LatencyHistogram: Sendable {
    /// Sub-buckets per power of two above the exact range.
    static let subBuckets: UInt64 = 1_024
    /// Values below this (ns) are counted one bucket per value.
    static let exactLimit: UInt64 = 2_048
    /// The largest value (ns) with a bucket of its own: 2^40 − 1, about 18 minutes.
    public static let highestTrackable: UInt64 = (1 << 40) - 1
    /// The number of counters.
    static let bucketCount = index(of: highestTrackable) + 1

    private var counts: [UInt64]
    /// The number of recorded values.
    public private(set) var totalCount: UInt64 = 0
    /// The smallest recorded value in ns (0 when empty).
    public private(set) var minimum: UInt64 = 0
    /// The largest recorded value in ns, exact (0 when empty).
    public private(set) var maximum: UInt64 = 0

    /// An empty histogram.
    public init() {
        counts = [UInt64](repeating: 0, count: Self.bucketCount)
    }

    /// The counter index for `value` (ns), clamped to the trackable range.
    static func index(of value: UInt64) -> Int {
        let value = min(value, highestTrackable)
        if value < exactLimit { return Int(value) }
        let top = 63 - value.leadingZeroBitCount  // ≥ 11
        let shift = UInt64(top - 10)
        let sub = (value >> shift) - subBuckets  // 0 ..< 1024
        return Int(exactLimit + (shift - 1) * subBuckets + sub)
    }

    /// The largest value (ns) that `index` counts: what percentiles report, so they never understate.
    static func highestValue(at index: Int) -> UInt64 {
        let index = UInt64(index)
        if index < exactLimit { return index }
        let shift = (index - exactLimit) / subBuckets + 1
        let sub = (index - exactLimit) % subBuckets + subBuckets
        return ((sub + 1) << shift) - 1
    }

    /// Counts one value, in ns.
    public mutating func record(_ nanoseconds: UInt64) {
        counts[Self.index(of: nanoseconds)] += 1
        if totalCount == 0 || nanoseconds < minimum { minimum = nanoseconds }
        if nanoseconds > maximum { maximum = nanoseconds }
        totalCount += 1
    }

    /// Adds every count of `other`.
    public mutating func add(_ other: LatencyHistogram) {
        guard other.totalCount > 0 else { return }
        for index in counts.indices { counts[index] += other.counts[index] }
        minimum = totalCount == 0 ? other.minimum : min(minimum, other.minimum)
        maximum = max(maximum, other.maximum)
        totalCount += other.totalCount
    }

    /// The value (ns) at or below which `percentile` per cent of the recorded values lie: the upper
    /// edge of the bucket holding the value of rank ⌈percentile/100 · count⌉ (at least 1), capped at
    /// the exact maximum. 0 when empty. `percentile` is clamped to 0…100.
    public func value(atPercentile percentile: Double) -> UInt64 {
        guard totalCount > 0 else { return 0 }
        let fraction = min(max(percentile, 0), 100) / 100
        let rank = max(1, UInt64((fraction * Double(totalCount)).rounded(.up)))
        var seen: UInt64 = 0
        for (index, count) in counts.enumerated() where count > 0 {
            seen += count
            if seen >= rank { return min(Self.highestValue(at: index), maximum) }
        }
        return maximum
    }
}
