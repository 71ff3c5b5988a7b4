import SLOWatchCoreTesting
import Testing

@testable import SLOWatchCore

/// ``SLOMonitor/upsertSLO(_:)``, ``SLOMonitor/removeSLO(id:)`` and ``SLOMonitor/status(id:)``: the
/// same semantics as replacing the whole set, one SLO at a time.
@Suite struct SLOMonitorEditTests {
    @Test func aNewSLOGoesLastAndAReplacedOneKeepsItsPlace() throws {
        let fixture = try SLOMonitorFixture([sloForTest("a", "m", "p50", 1), sloForTest("b", "m", "p50", 1)])
        #expect(fixture.monitor.upsertSLO(try sloForTest("c", "m", "p50", 1)).created)
        let replaced = fixture.monitor.upsertSLO(try sloForTest("a", "m", "p90", 5))
        #expect(!replaced.created && replaced.recoveries.isEmpty)
        #expect(fixture.monitor.slos.map(\.id) == ["a", "b", "c"])
        #expect(fixture.monitor.status(id: "a")?.slo.percentile.text == "p90")
        #expect(fixture.monitor.sloCount == 3)
    }

    @Test func anUnchangedDefinitionKeepsItsViolationAndAChangedOneEndsItWithOneRecovery() throws {
        let publisher = SLORecordingPublisher()
        let fixture = try SLOMonitorFixture([sloForTest("a", "m", "p50", 1)], publisher: publisher)
        try fixture.record("m", [10])
        #expect(fixture.check() == ["violation a"])

        let same = fixture.monitor.upsertSLO(try sloForTest("a", "m", "p50", 1))
        #expect(!same.created && same.recoveries.isEmpty)
        #expect(fixture.monitor.status(id: "a")?.violating == true)

        let changed = fixture.monitor.upsertSLO(try sloForTest("a", "m", "p50", 100))
        #expect(changed.recoveries.map(\.reason) == [.sloRemoved])
        #expect(changed.recoveries.first?.threshold == 1)  // the old definition
        #expect(fixture.monitor.status(id: "a")?.violating == false)
        #expect(
            publisher.published.withLock { $0.map(\.topic) } == ["perf.slo_violation", "perf.slo_recovered"])
        #expect(fixture.monitor.recoveriesEmitted == 1)
    }

    @Test func removingKeepsTheOthersInOrderAndFindable() throws {
        let fixture = try SLOMonitorFixture((0..<5).map { try sloForTest("s\($0)", "m", "p50", 1) })
        try fixture.record("m", [10])
        #expect(fixture.check().count == 5)
        #expect(fixture.monitor.removeSLO(id: "s1")?.map(\.slo) == ["s1"])
        #expect(fixture.monitor.removeSLO(id: "s1") == nil)
        #expect(fixture.monitor.removeSLO(id: "nope") == nil)
        #expect(fixture.monitor.slos.map(\.id) == ["s0", "s2", "s3", "s4"])
        for id in ["s0", "s2", "s3", "s4"] { #expect(fixture.monitor.status(id: id)?.slo.id == id) }
        #expect(fixture.monitor.status(id: "s1") == nil)
        // The index stays right after more edits: add, remove the first, replace the last.
        fixture.monitor.upsertSLO(try sloForTest("s5", "m", "p50", 1))
        _ = fixture.monitor.removeSLO(id: "s0")
        fixture.monitor.upsertSLO(try sloForTest("s5", "m", "p90", 1))
        #expect(fixture.monitor.slos.map(\.id) == ["s2", "s3", "s4", "s5"])
        #expect(fixture.monitor.statuses.map(\.slo.id) == ["s2", "s3", "s4", "s5"])
        #expect(fixture.monitor.status(id: "s5")?.slo.percentile.text == "p90")
        #expect(fixture.monitor.status(id: "s4")?.violating == true)
    }

    @Test func replacingTheSetRebuildsTheIndex() throws {
        let fixture = try SLOMonitorFixture([sloForTest("a", "m", "p50", 1), sloForTest("b", "m", "p50", 1)])
        try fixture.monitor.replaceSLOs([sloForTest("c", "m", "p50", 1), sloForTest("a", "m", "p50", 1)])
        #expect(fixture.monitor.status(id: "b") == nil)
        #expect(fixture.monitor.status(id: "c")?.slo.id == "c")
        #expect(fixture.monitor.removeSLO(id: "c") != nil)
        #expect(fixture.monitor.slos.map(\.id) == ["a"])
        #expect(fixture.monitor.status(id: "a")?.slo.id == "a")
    }
}
