import Foundation
import SLOWatchCore
import Testing

@testable import SLOWatchService

/// The history counters through the routes: `history` in `GET /metrics/{name}`, and
/// `slowatch_history_bytes` and `slowatch_history_dropped_slices_total` in `/metrics`.
@Suite("History counters in the routes")
struct HistoryCountersRouteTests {
    /// The value of the unlabelled sample `name` in the `/metrics` text.
    private static func value(_ name: String, in service: InProcessService) throws -> Double? {
        let text = try service.client.get(
            service.url("/metrics"), headers: [("Accept", PrometheusNegotiationTests.prometheusAccept)]
        ).bodyText
        let line = text.split(separator: "\n").first { $0.hasPrefix(name + " ") }
        return line.flatMap { Double($0.split(separator: " ")[1]) }
    }

    @Test("GET /metrics/{name} shows late samples and the history's bytes; PUT and the list do not")
    func metricShowsHistory() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        let now = (Date().timeIntervalSince1970 * 1_000).rounded(.down)
        let body =
            #"{"samples":[{"metric":"h","value":5,"timestamp":\#(Int64(now))},"#
            + #"{"metric":"h","value":6,"timestamp":\#(Int64(now - 40 * 86_400_000))}]}"#
        #expect(try client.postJSON(service.url("/samples"), body).status == 200)
        let json = try client.get(service.url("/metrics/h")).json()
        let history = try #require(json["history"] as? [String: Any])
        #expect(history["late"] as? Int == 1)
        #expect(history["future"] as? Int == 0)
        #expect((history["bytes"] as? Int ?? 0) > 0)
        #expect(history["droppedSlices"] as? Int == 0)
        #expect(!(try client.get(service.url("/metrics")).bodyText.contains("history")))
        #expect(try Self.value("slowatch_history_dropped_slices_total", in: service) == 0)
        #expect(try Self.value("slowatch_history_bytes", in: service) != nil)
    }

    @Test("past --history-memory, slices are dropped and counted in /metrics")
    func dropsAreCounted() throws {
        let service = try InProcessService { $0.historyMemoryBytes = 64 << 10 }
        defer { service.stop() }
        let registry = service.service.registry
        let now = (Date().timeIntervalSince1970 * 1_000).rounded(.down)
        for metric in 0..<200 {
            for step in 0..<60 {
                try registry.record(
                    "flood\(metric)", value: 10, timestamp: now - 3_600_000 + Double(step) * 10_000)
            }
        }
        let dropped = try #require(try Self.value("slowatch_history_dropped_slices_total", in: service))
        #expect(dropped > 0)
        #expect(try #require(try Self.value("slowatch_history_bytes", in: service)) <= Double(64 << 10))
        let first = try service.client.get(service.url("/metrics/flood0")).json()
        #expect(((first["history"] as? [String: Any])?["droppedSlices"] as? Int ?? 0) > 0)
    }
}
