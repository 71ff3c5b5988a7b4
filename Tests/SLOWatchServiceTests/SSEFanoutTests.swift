import Foundation
import SLOWatchCore
import Testing

@testable import SLOWatchService

/// The per-loop fan-out with turns so short (2 deliveries) that every event's pass over the streams
/// stops and resumes several times: each stream must still get exactly its events, once, in order.
@Suite("event streams fed by their loop's fan-out")
struct SSEFanoutTests {
    static func service() throws -> TestService {
        try TestService {
            $0.keepaliveIntervalMilliseconds = 200
            $0.streamDeliveriesPerTurn = 2
        }
    }

    @Test("turns that stop inside an event's pass give every stream its matching events once, in order")
    func turnsStopInsideAPass() throws {
        let service = try Self.service()
        defer { service.stop() }
        let bus = service.service.bus
        let all = try TestEvents.connect(service)
        defer { all.close() }
        let byMetric = try TestEvents.connect(service, "/slo/violations?metric=a", subscribers: 2)
        defer { byMetric.close() }
        let bySLO = try TestEvents.connect(service, "/slo/violations?slo=b-p95", subscribers: 3)
        defer { bySLO.close() }
        let leaving = try TestEvents.connect(service, subscribers: 4)
        let late = try TestEvents.connect(service, subscribers: 5)
        defer { late.close() }
        for index in 1...30 {
            try TestEvents.publish(.violation, metric: index % 3 == 0 ? "b" : "a", on: bus)
        }
        #expect(leaving.waitForEvents(30))
        leaving.close()
        for _ in 31...40 { try TestEvents.publish(.violation, metric: "a", on: bus) }
        let bIDs = (1...30).filter { $0 % 3 == 0 }
        #expect(all.waitForEvents(40))
        #expect(byMetric.waitForEvents(40 - bIDs.count))
        #expect(bySLO.waitForEvents(bIDs.count))
        #expect(late.waitForEvents(40))
        #expect(SSEStreamTests.ids(all) == Array(1...40))
        #expect(SSEStreamTests.ids(late) == Array(1...40))
        #expect(SSEStreamTests.ids(byMetric) == Array(1...40).filter { !bIDs.contains($0) })
        #expect(SSEStreamTests.ids(bySLO) == bIDs)
        #expect(SSEStreamTests.ids(leaving) == Array(1...30))
        #expect(all.wait { _ in service.service.openEventStreams == 4 })
    }

    @Test("a stream that resumes while events are being fanned out gets the replay, then the rest, no repeat")
    func resumeDuringFanOut() throws {
        let service = try Self.service()
        defer { service.stop() }
        let bus = service.service.bus
        let readers = try (1...3).map { try TestEvents.connect(service, subscribers: $0) }
        defer { for reader in readers { reader.close() } }
        for _ in 1...20 { try TestEvents.publish(.violation, metric: "a", on: bus) }
        let resumed = try TestEvents.connect(service, headers: [("Last-Event-ID", "12")], subscribers: 4)
        defer { resumed.close() }
        for _ in 21...30 { try TestEvents.publish(.violation, metric: "a", on: bus) }
        #expect(resumed.waitForEvents(18))
        #expect(readers.allSatisfy { $0.waitForEvents(30) })
        #expect(SSEStreamTests.ids(resumed) == Array(13...30))
        #expect(readers.allSatisfy { SSEStreamTests.ids($0) == Array(1...30) })
    }
}
