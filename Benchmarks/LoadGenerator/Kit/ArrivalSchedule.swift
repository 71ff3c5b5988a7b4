import SeededRandom

#if canImport(Glibc)
    import Glibc
#endif

/// When each request is meant to be sent: an open-loop schedule that depends only on the rate and the
/// start time, never on the responses.
///
/// Times are absolute CLOCK_MONOTONIC ns. `constant` spaces requests exactly 1/rate apart, computed
/// from the index (start + i · period), so rounding never accumulates into drift. `poisson` draws
/// exponential gaps of mean 1/rate from a seeded generator, so a run is reproducible.
public struct ArrivalSchedule: Sendable {
    /// How the gaps between intended send times are drawn.
    public enum Arrival: String, Sendable, CaseIterable {
        /// Every gap is exactly 1/rate.
        case constant
        /// Gaps are exponential with mean 1/rate (a Poisson process).
        case poisson
    }

    /// The gap between requests on average, in ns (1e9 / rate).
    public let periodNanoseconds: Double
    private let start: UInt64
    private let arrival: Arrival
    private var random: SplitMix64
    private var index: UInt64 = 0
    private var poissonOffset: Double = 0

    /// A schedule of `rate` requests per second (> 0) from `start` (ns), the first at `start`.
    public init(rate: Double, start: UInt64, arrival: Arrival, seed: UInt64 = 1) {
        periodNanoseconds = 1e9 / rate
        self.start = start
        self.arrival = arrival
        random = SplitMix64(seed: seed)
    }

    /// The intended send time (ns) of the next request.
    public mutating func next() -> UInt64 {
        defer { index += 1 }
        switch arrival {
        case .constant:
            return start + UInt64(Double(index) * periodNanoseconds)
        case .poisson:
            if index > 0 {
                // 1 − u lies in (0, 1], so the logarithm is finite.
                let u = Double(random.next() >> 11) / Double(1 << 53)
                poissonOffset += -log(1 - u) * periodNanoseconds
            }
            return start + UInt64(poissonOffset)
        }
    }
}
