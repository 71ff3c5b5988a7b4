import Foundation
import SLOWatchCore
import SLOWatchCoreTesting
import Testing

@testable import SLOWatchService

/// Samples posted through the real `POST /samples` route are counted exactly by a budget counter
/// started directly on the service's registry (the budget SLO fields that start one come separately).
@Suite("Budget counters through POST /samples")
struct BudgetCounterSamplesRouteTests {
    @Test("single samples and a batch, good and bad, are counted in their own slices, exactly")
    func postedSamplesAreCounted() throws {
        let clock = ManualClock()
        let test = try InProcessService(wallClock: clock)
        let registry = test.service.registry
        registry.startCounting(
            BudgetCounterSpec(sloID: "checkout", metric: "lat", threshold: 250, direction: .above))
        let now = Int64(clock.nowMilliseconds())
        var expected = (good: UInt64(0), total: UInt64(0))
        for (index, value) in [120.0, 250, 250.5, 900, 3].enumerated() {
            let stamp = now - 3_600_000 + Int64(index) * 15_000
            let response = try test.client.postJSON(
                "/samples", #"{"metric":"lat","value":\#(value),"timestamp":\#(stamp)}"#)
            #expect(response.status == 200)
            expected.total += 1
            if value <= 250 { expected.good += 1 }
        }
        let batch = (0..<40).map {
            #"{"metric":"lat","value":\#(200 + $0 * 3),"timestamp":\#(now - Int64($0) * 1_000)}"#
        }
        let response = try test.client.postJSON(
            "/samples", #"{"samples":[\#(batch.joined(separator: ","))]}"#)
        #expect(response.status == 200)
        expected.total += 40
        expected.good += UInt64((0..<40).filter { 200 + $0 * 3 <= 250 }.count)
        let counts = try #require(
            registry.budgetCounts(
                sloID: "checkout", fromMilliseconds: Double(now - 2 * 3_600_000),
                toMilliseconds: Double(now + 1)))
        #expect(counts.goodEvents == expected.good && counts.totalEvents == expected.total)
        let lastHalfHour = try #require(
            registry.budgetCounts(
                sloID: "checkout", fromMilliseconds: Double(now - 1_800_000), toMilliseconds: Double(now + 1))
        )
        #expect(lastHalfHour.totalEvents == 40)
    }
}
