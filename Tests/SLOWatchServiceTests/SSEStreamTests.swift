import Foundation
import SLOWatchCore
import TestCurlClient
import Testing

@testable import SLOWatchService

@Suite("GET /slo/violations as an event stream")
struct SSEStreamTests {
    /// A service whose streams get a keepalive every 200 ms, so readers can stop promptly.
    static func service(_ configure: (inout ServiceConfiguration) -> Void = { _ in }) throws -> TestService {
        try TestService {
            $0.keepaliveIntervalMilliseconds = 200
            configure(&$0)
        }
    }

    /// The ids of the events a reader received, as integers.
    static func ids(_ reader: SSEReader) -> [Int] { reader.events.map { Int($0.id ?? "") ?? -1 } }

    @Test("the stream answers 200 with the event-stream headers and starts with retry: 2000")
    func headAndPrelude() throws {
        let service = try Self.service()
        defer { service.stop() }
        var received: [UInt8] = []
        let response = try CurlClient().stream(
            service.url("/slo/violations"), headers: [("Accept", "text/event-stream")],
            timeoutMilliseconds: 10_000
        ) { chunk in
            received += chunk
            return received.count < 13
        }
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/event-stream")
        #expect(response.header("Cache-Control") == "no-cache")
        #expect(response.header("X-Accel-Buffering") == "no")
        #expect(response.header("Transfer-Encoding") == "chunked")
        #expect(String(decoding: received.prefix(13), as: UTF8.self) == "retry: 2000\n\n")
    }

    @Test("Accept lists text/event-stream among other types, with any case and a positive q")
    func acceptNegotiation() throws {
        let service = try Self.service()
        defer { service.stop() }
        for accept in [
            "application/json, text/event-stream", "TEXT/Event-Stream;q=0.1", "*/*;q=0.5,text/event-stream",
        ] {
            var received: [UInt8] = []
            let response = try CurlClient().stream(
                service.url("/slo/violations"), headers: [("Accept", accept)], timeoutMilliseconds: 10_000
            ) { chunk in
                received += chunk
                return received.count < 13
            }
            #expect(response.header("Content-Type") == "text/event-stream", "Accept: \(accept)")
        }
    }

    @Test("a live event is sent as id, event and data lines, data being the JSON envelope")
    func liveEventFrame() throws {
        let service = try Self.service()
        defer { service.stop() }
        let reader = try TestEvents.connect(service)
        defer { reader.close() }
        let event = try TestEvents.publish(
            .violation, metric: "checkout.latency", on: service.service.bus)
        #expect(reader.waitForEvents(1))
        let message = try #require(reader.events.first)
        #expect(message.id == "1")
        #expect(message.event == "perf.slo_violation")
        let list = try CurlClient().get(service.url("/slo/violations")).bodyText
        let data = message.data ?? ""
        #expect(list == "{\"violations\":[\(data)]}")
        #expect(message.envelope?["id"] as? String == event.id)
        let frame = "id: 1\nevent: perf.slo_violation\ndata: \(data)\n\n"
        #expect(reader.text.hasPrefix("retry: 2000\n\n"))
        #expect(reader.text.contains(frame))
    }

    @Test("Last-Event-ID replays the retained events after it, then live ones, with no gap or repeat")
    func replayFromHeader() throws {
        let service = try Self.service()
        defer { service.stop() }
        let bus = service.service.bus
        for _ in 0..<5 { try TestEvents.publish(.violation, metric: "a", on: bus) }
        let reader = try TestEvents.connect(service, headers: [("Last-Event-ID", "2")])
        defer { reader.close() }
        #expect(reader.waitForEvents(3))
        try TestEvents.publish(.recovery, metric: "a", on: bus)
        #expect(reader.waitForEvents(4))
        #expect(Self.ids(reader) == [3, 4, 5, 6])
        #expect(reader.events.last?.event == "perf.slo_recovered")
        #expect(!reader.text.contains("history truncated"))
    }

    @Test("?lastEventId= replays too, and the Last-Event-ID header wins over it")
    func replayFromQuery() throws {
        let service = try Self.service()
        defer { service.stop() }
        for _ in 0..<5 { try TestEvents.publish(.violation, metric: "a", on: service.service.bus) }
        let query = try TestEvents.connect(service, "/slo/violations?lastEventId=3")
        defer { query.close() }
        #expect(query.waitForEvents(2))
        let both = try TestEvents.connect(
            service, "/slo/violations?lastEventId=1", headers: [("Last-Event-ID", "4")], subscribers: 2)
        defer { both.close() }
        #expect(both.waitForEvents(1))
        try TestEvents.publish(.violation, metric: "a", on: service.service.bus)
        #expect(query.waitForEvents(3) && both.waitForEvents(2))
        #expect(Self.ids(query) == [4, 5, 6])
        #expect(Self.ids(both) == [5, 6])
    }

    @Test(
        "an id older than the history gets ': history truncated' and stream.truncated, then every retained event"
    )
    func historyTruncated() throws {
        let service = try Self.service { $0.historyCapacity = 3 }
        defer { service.stop() }
        for _ in 0..<10 { try TestEvents.publish(.violation, metric: "a", on: service.service.bus) }
        let old = try TestEvents.connect(service, headers: [("Last-Event-ID", "2")])
        defer { old.close() }
        #expect(old.waitForEvents(3))
        #expect(Self.ids(old) == [8, 9, 10])
        let blocks = old.messages
        #expect(blocks.first?.retry == "2000")
        #expect(blocks.dropFirst().first?.comments == ["history truncated"])
        let notice = blocks.dropFirst(2).first
        #expect(notice?.event == "stream.truncated" && notice?.id == nil, "no id: Last-Event-ID stays 2")
        #expect(notice?.data == #"{"requestedAfter":2,"oldestAvailable":8}"#)
        #expect(blocks.dropFirst(3).first?.id == "8")
        // Seven was the last event before the history: nothing is missing, so no comment.
        let recent = try TestEvents.connect(service, headers: [("Last-Event-ID", "7")], subscribers: 2)
        defer { recent.close() }
        #expect(recent.waitForEvents(3))
        #expect(Self.ids(recent) == [8, 9, 10])
        #expect(!recent.text.contains("history truncated"))
        #expect(recent.truncations.isEmpty)
    }

    @Test("an id ahead of the bus (from before a restart) gets the truncation notice, then all retained")
    func idAheadOfTheBus() throws {
        let service = try Self.service()
        defer { service.stop() }
        try TestEvents.publish(.violation, metric: "a", on: service.service.bus)
        try TestEvents.publish(.violation, metric: "a", on: service.service.bus)
        let reader = try TestEvents.connect(service, headers: [("Last-Event-ID", "9223372036854775807")])
        defer { reader.close() }
        #expect(reader.waitForEvents(2))
        try TestEvents.publish(.violation, metric: "a", on: service.service.bus)
        #expect(reader.waitForEvents(3))
        #expect(Self.ids(reader) == [1, 2, 3])
        let blocks = reader.messages
        #expect(blocks.dropFirst().first?.comments == ["history truncated"])
        #expect(reader.text.components(separatedBy: "history truncated").count == 2, "one notice")
        // The ids started again at 1: the oldest held is #1, below the id asked for.
        #expect(
            reader.truncations.map(\.data) == [
                #"{"requestedAfter":9223372036854775807,"oldestAvailable":1}"#
            ])
    }

    @Test(
        "a Last-Event-ID that is not a non-negative integer is a 400 naming it",
        arguments: [
            ("", "abc", "Last-Event-ID"), ("", "-1", "Last-Event-ID"), ("", "1.0", "Last-Event-ID"),
            ("", "9223372036854775808", "Last-Event-ID"), ("?lastEventId=x", nil, "'lastEventId'"),
            ("?metric=", nil, "'metric'"),
        ] as [(String, String?, String)])
    func badLastEventID(query: String, header: String?, named: String) throws {
        let service = try Self.service()
        defer { service.stop() }
        var headers = [("Accept", "text/event-stream")]
        if let header { headers.append(("Last-Event-ID", header)) }
        let response = try CurlClient().get(service.url("/slo/violations\(query)"), headers: headers)
        #expect(response.status == 400)
        #expect(response.errorCode == "invalid_request")
        #expect(response.errorMessage?.contains(named) == true, "\(response.bodyText)")
        #expect(service.service.streams.count == 0)
    }

    @Test("a keepalive comment goes out every configured interval")
    func heartbeat() throws {
        let service = try TestService { $0.keepaliveIntervalMilliseconds = 100 }
        defer { service.stop() }
        let reader = try TestEvents.connect(service)
        defer { reader.close() }
        let beats = reader.wait { reader in
            reader.messages.filter { $0.comments == ["keepalive"] }.count >= 3
        }
        #expect(beats)
        #expect(reader.events.isEmpty)
    }

    @Test("?metric= and ?slo= filter the stream, replay included")
    func filters() throws {
        let service = try Self.service()
        defer { service.stop() }
        let bus = service.service.bus
        try TestEvents.publish(.violation, metric: "a", on: bus)
        try TestEvents.publish(.violation, metric: "b", on: bus)
        let byMetric = try TestEvents.connect(
            service, "/slo/violations?metric=a", headers: [("Last-Event-ID", "0")])
        defer { byMetric.close() }
        let bySLO = try TestEvents.connect(service, "/slo/violations?slo=b-p95", subscribers: 2)
        defer { bySLO.close() }
        let all = try TestEvents.connect(service, subscribers: 3)
        defer { all.close() }
        try TestEvents.publish(.violation, metric: "a", on: bus)
        try TestEvents.publish(.recovery, metric: "b", on: bus)
        try bus.publish(topic: "other.topic", payload: ["metric": "a", "slo": "b-p95"])
        // Matches both filters; once a reader has it, every earlier event was handled (order is kept).
        try bus.publish(topic: SLOEvent.violationTopic, payload: ["metric": "a", "slo": "b-p95"])
        #expect(byMetric.wait { Self.ids($0).last == 6 })
        #expect(bySLO.wait { Self.ids($0).last == 6 })
        #expect(all.wait { Self.ids($0).last == 6 })
        #expect(Self.ids(byMetric) == [1, 3, 6])
        #expect(Self.ids(bySLO) == [4, 6])
        #expect(Self.ids(all) == [3, 4, 6])
    }

    @Test("/healthz counts open streams, and a client that leaves is no longer counted")
    func subscriberCount() throws {
        let service = try Self.service()
        defer { service.stop() }
        let first = try TestEvents.connect(service)
        let second = try TestEvents.connect(service, subscribers: 2)
        defer { second.close() }
        let client = try CurlClient()
        let subscribers = { () throws -> Int? in
            try client.get(service.url("/healthz")).json()["subscribers"] as? Int
        }
        #expect(try subscribers() == 2)
        first.close()
        #expect(first.isFinished)
        #expect(first.wait { _ in service.service.streams.count == 1 })
        #expect(try subscribers() == 1)
        // The streams share one bus subscription per event loop; the last stream gone ends it, so a
        // bus with no reader logs its events again.
        #expect(service.service.bus.subscriberCount >= 1)
        second.close()
        #expect(second.wait { _ in service.service.bus.subscriberCount == 0 })
        #expect(try subscribers() == 0)
    }

    @Test("stopping the service ends open streams; the client sees the end of the stream")
    func stopEndsStreams() throws {
        let service = try Self.service { $0.keepaliveIntervalMilliseconds = 60_000 }
        defer { service.stop() }
        let readers = try (1...3).map { try TestEvents.connect(service, subscribers: $0) }
        try TestEvents.publish(.violation, metric: "a", on: service.service.bus)
        #expect(readers.allSatisfy { $0.waitForEvents(1) })
        service.stop()
        for reader in readers {
            #expect(reader.waitUntilFinished())
            #expect(reader.failure == nil, "\(reader.failure ?? "")")
            #expect(reader.status == 200)
        }
        #expect(service.service.streams.count == 0)
        #expect(service.service.bus.subscriberCount == 0)
    }

    @Test("HEAD with Accept: text/event-stream answers the stream head without a body")
    func headOfStream() throws {
        let service = try Self.service()
        defer { service.stop() }
        let response = try CurlClient().request(
            method: "HEAD", url: service.url("/slo/violations"), headers: [("Accept", "text/event-stream")])
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/event-stream")
        #expect(response.body.isEmpty)
        #expect(service.service.streams.count == 0)
    }
}
