import Foundation
import SLOWatchCore
import TestCurlClient
import Testing

@testable import SLOWatchService

/// Burn-rate events on the live stream: the same frames, filters and `Last-Event-ID` replay as
/// violations, and `?topic=` keeping only the topics asked for.
@Suite("GET /slo/violations stream: burn-rate topics")
struct SSEBurnTopicTests {
    /// A burn event of SLO `api`, tier `page-fast`, as the monitor publishes it.
    @discardableResult
    static func publish(_ kind: SLOBurnEvent.Kind, on bus: EventBus) throws -> Event {
        let event = SLOBurnEvent(
            kind: kind, slo: "api", metric: "api.latency", tier: "page-fast", severity: "critical",
            factor: 14.4,
            longWindowMs: 3_600_000, longBurnRate: 20, shortWindowMs: 300_000, shortBurnRate: nil,
            budgetRemaining: 0.75, timestamp: 1_764_393_600_000,
            firingForMs: kind == .resolved ? 60_000 : nil,
            reason: kind == .resolved ? .belowRate : nil)
        return try bus.publish(topic: event.topic, payload: event.payload)
    }

    @Test("?topic= keeps only burn events, replayed after Last-Event-ID, then live, as id/event/data frames")
    func topicFilterAndReplay() throws {
        let service = try SSEStreamTests.service()
        defer { service.stop() }
        let bus = service.service.bus
        try Self.publish(.alert, on: bus)  // 1
        try TestEvents.publish(.violation, metric: "api.latency", on: bus)  // 2
        try Self.publish(.resolved, on: bus)  // 3
        try Self.publish(.alert, on: bus)  // 4
        let reader = try TestEvents.connect(
            service, "/slo/violations?topic=perf.slo_burn_alert,perf.slo_burn_resolved",
            headers: [("Last-Event-ID", "1")])
        defer { reader.close() }
        #expect(reader.waitForEvents(2))
        try TestEvents.publish(.recovery, metric: "api.latency", on: bus)  // 5, filtered out
        try Self.publish(.resolved, on: bus)  // 6
        #expect(reader.waitForEvents(3))
        #expect(SSEStreamTests.ids(reader) == [3, 4, 6])
        #expect(
            reader.events.map(\.event) == [
                "perf.slo_burn_resolved", "perf.slo_burn_alert", "perf.slo_burn_resolved",
            ])
        let data = try #require(reader.events.first?.data)
        #expect(
            data.contains(
                #""payload":{"slo":"api","metric":"api.latency","tier":"page-fast","severity":"critical","#
                    + #""factor":14.4,"longWindowMs":3600000,"longBurnRate":20,"shortWindowMs":300000,"#
                    + #""shortBurnRate":null,"budgetRemaining":0.75,"timestamp":1764393600000,"#
                    + #""firingForMs":60000,"reason":"below_rate"}"#), "\(data)")
    }

    @Test("without ?topic= the stream carries burn events beside violations")
    func defaultStreamCarriesBoth() throws {
        let service = try SSEStreamTests.service()
        defer { service.stop() }
        let reader = try TestEvents.connect(service)
        defer { reader.close() }
        try TestEvents.publish(.violation, metric: "api.latency", on: service.service.bus)
        try Self.publish(.alert, on: service.service.bus)
        #expect(reader.waitForEvents(2))
        #expect(reader.events.map(\.event) == ["perf.slo_violation", "perf.slo_burn_alert"])
    }
}
