import SLOWatchCore
import SLOWatchCoreTesting
import Testing

/// A sample timestamped too far ahead of the wall clock would stay inside every window: the registry
/// refuses it, on every record path.
@Suite("Registry: future timestamps")
struct FutureTimestampTests {
    @Test("five minutes ahead is accepted; a millisecond more, or 1e300, is refused naming the skew")
    func singleRecord() throws {
        let clock = ManualClock()
        let registry = MetricsRegistry(wallClock: clock, monotonicClock: clock)
        let now = clock.nowMilliseconds()
        try registry.record("m", value: 1, timestamp: now + 300_000)
        let late = #expect(throws: MetricsError.self) {
            try registry.record("m", value: 2, timestamp: now + 300_001)
        }
        #expect(late?.kind == .futureTimestamp)
        let days = #expect(throws: MetricsError.self) {
            try registry.record("m", value: 2, timestamp: now + 41 * 86_400_000)
        }
        #expect(
            days?.message == "timestamp \(now + 41 * 86_400_000) for metric \"m\" is 41 days ahead of the "
                + "server clock; at most 5 minutes ahead is accepted")
        let huge = #expect(throws: MetricsError.self) { try registry.record("m", value: 2, timestamp: 1e300) }
        #expect(huge?.kind == .futureTimestamp)
        let handle = try registry.handle(for: "m")
        #expect(throws: MetricsError.self) { try registry.record(handle, value: 3, timestamp: 1e300) }
        #expect(try registry.percentiles(for: "m").count == 1, "only the first sample went in")
    }

    @Test("the limit is the configuration's, and a batch with one future sample records none of it")
    func configuredLimitAndBatch() throws {
        let clock = ManualClock()
        let registry = MetricsRegistry(
            configuration: .init(maxFutureSkewMilliseconds: 60_000), wallClock: clock, monotonicClock: clock)
        let now = clock.nowMilliseconds()
        let error = #expect(throws: MetricsError.self) {
            try registry.record("m", value: 1, timestamp: now + 90_000)
        }
        #expect(
            error?.message.hasSuffix(
                "is 90 seconds ahead of the server clock; at most 60 seconds ahead is accepted") == true,
            "\(String(describing: error))")
        let handle = try registry.handle(for: "m")
        let samples = [
            RecentSample(value: 1, timestamp: now - 1_000), RecentSample(value: 2, timestamp: now + 61_000),
        ]
        let batchError = #expect(throws: MetricsError.self) {
            try samples.withUnsafeBufferPointer { buffer throws(MetricsError) in
                try registry.record(handle, samples: buffer)
            }
        }
        #expect(batchError?.kind == .futureTimestamp)
        #expect(try registry.percentiles(for: "m").count == 0)
        // A later clock reading lets the same sample in.
        clock.advance(by: .seconds(2))
        try registry.record("m", value: 1, timestamp: now + 61_000)
    }
}
