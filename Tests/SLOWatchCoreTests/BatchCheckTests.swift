import Foundation
import SLOWatchCoreTesting
import SeededRandom
import Testing

@testable import SLOWatchCore

/// The one-pass checks of a batch (``MetricsRegistry/passesChecks(_:now:limit:)``) refuse exactly the
/// batches that the checks one by one refuse, and a refused batch names its first bad sample.
@Suite("MetricsRegistry batch checks")
struct BatchCheckTests {
    // MARK: Registry checks

    @Test("the one-pass batch check passes exactly the batches that the one-by-one checks pass")
    func batchCheckEqualsSingles() {
        var random = SplitMix64(seed: 0xC4EC)
        let registry = MetricsRegistry()
        let limit = registry.configuration.maxFutureSkewMilliseconds
        let specials: [Double] = [.nan, .infinity, -.infinity, 1e308, -1e308, 0, -0.0]
        for now in [1_800_000_000_000, .nan, .infinity, -.infinity, 0] as [Double] {
            for _ in 0..<2_000 {
                let samples = (0..<Int.random(in: 1...6, using: &random)).map { _ -> RecentSample in
                    func number(near base: Double) -> Double {
                        Int.random(in: 0..<8, using: &random) == 0
                            ? specials.randomElement(using: &random) ?? 0
                            : base + Double.random(in: -2 * limit...2 * limit, using: &random)
                    }
                    return RecentSample(
                        value: number(near: 0), timestamp: number(near: now.isFinite ? now : 0))
                }
                let passes = samples.withUnsafeBufferPointer {
                    MetricsRegistry.passesChecks($0, now: now, limit: limit)
                }
                let thrown = samples.withUnsafeBufferPointer { buffer -> MetricsError? in
                    do throws(MetricsError) {
                        try registry.checkEach(buffer, now: now, metric: "m")
                        return nil
                    } catch { return error }
                }
                #expect(passes == (thrown == nil), "now \(now): \(samples)")
            }
        }
    }

    @Test("a refused batch names the first bad sample, as the checks one by one do")
    func refusedBatchNamesTheFirstBadSample() throws {
        let clock = ManualClock()
        let registry = MetricsRegistry(wallClock: clock, monotonicClock: clock)
        let handle = try registry.handle(for: "m")
        let now = clock.nowMilliseconds()
        let ahead = now + registry.configuration.maxFutureSkewMilliseconds + 1
        let cases: [([RecentSample], MetricsError)] = [
            (
                [
                    RecentSample(value: 1, timestamp: now), RecentSample(value: 2, timestamp: ahead),
                    RecentSample(value: .nan, timestamp: now),
                ],
                .futureTimestamp(
                    ahead, metric: "m", aheadMilliseconds: ahead - now,
                    limitMilliseconds: registry.configuration.maxFutureSkewMilliseconds)
            ),
            (
                [RecentSample(value: .infinity, timestamp: ahead), RecentSample(value: 1, timestamp: .nan)],
                .nonFiniteValue(.infinity, metric: "m")
            ),
            (
                [RecentSample(value: 1, timestamp: now), RecentSample(value: 1, timestamp: -.infinity)],
                .nonFiniteTimestamp(-.infinity, metric: "m")
            ),
        ]
        for (samples, expected) in cases {
            #expect(throws: expected) {
                try samples.withUnsafeBufferPointer { try registry.record(handle, samples: $0) }
            }
        }
        #expect(registry.summary(for: "m")?.count == 0)
    }
}
