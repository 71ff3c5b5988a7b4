import Foundation
import SLOWatchCore
import SLOWatchCoreTesting
import TestCurlClient
import Testing

@testable import SLOWatchService

@Suite("GET /slo/violations (JSON)")
struct ViolationListTests {
    /// The `violations` array of a JSON answer.
    static func violations(_ response: CurlResponse) throws -> [[String: Any]] {
        guard let list = try response.json()["violations"] as? [[String: Any]] else {
            throw TestServiceError("no 'violations' array in \(response.bodyText)")
        }
        return list
    }

    /// The sequences of a JSON answer's events, in order.
    static func sequences(_ response: CurlResponse) throws -> [Int] {
        try violations(response).map { ($0["sequence"] as? Int) ?? -1 }
    }

    @Test("the envelope is id, topic, sequence, timestamp, payload, with the payload in the monitor's order")
    func envelopeShape() throws {
        let service = try InProcessService(wallClock: ManualClock())
        defer { service.stop() }
        let event = try TestEvents.publish(.violation, metric: "checkout.latency", on: service.service.bus)
        let response = try service.client.get(service.url("/slo/violations"))
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json; charset=utf-8")
        let expected =
            #"{"violations":[{"id":"\#(event.id)","topic":"perf.slo_violation","sequence":1,"#
            + #""timestamp":1764393600000,"payload":{"slo":"checkout.latency-p95","metric":"checkout.latency","#
            + #""percentile":"p95","quantile":0.95,"threshold":60,"actual":75,"unit":"ms","direction":"above","#
            + #""severity":"warning","count":20,"timestamp":1764393600000}}]}"#
        #expect(response.bodyText == expected)
        #expect(event.id.hasPrefix("evt_"))
    }

    @Test("every payload value kind is written as its JSON counterpart")
    func payloadValueKinds() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let payload: EventPayload = [
            "metric": "m", "text": "a \"quoted\"\nline", "number": 12.5, "integer": -3, "flag": true,
            "nothing": nil, "infinite": .number(.infinity),
        ]
        try service.service.bus.publish(topic: SLOEvent.violationTopic, payload: payload)
        let response = try service.client.get(service.url("/slo/violations"))
        #expect(
            response.bodyText.contains(
                #""payload":{"metric":"m","text":"a \"quoted\"\nline","number":12.5,"integer":-3,"#
                    + #""flag":true,"nothing":null,"infinite":null}"#))
        #expect(try Self.violations(response).count == 1)
    }

    @Test("violations and recoveries are listed in ascending sequence; other topics are not")
    func ascendingAndOnlySLOTopics() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let bus = service.service.bus
        try TestEvents.publish(.violation, metric: "a", on: bus)
        try bus.publish(topic: "other.topic", payload: ["metric": "a"])
        try TestEvents.publish(.recovery, metric: "a", on: bus)
        try TestEvents.publish(.violation, metric: "b", on: bus)
        let response = try service.client.get(service.url("/slo/violations"))
        #expect(try Self.sequences(response) == [1, 3, 4])
        let topics = try Self.violations(response).map { $0["topic"] as? String }
        #expect(topics == ["perf.slo_violation", "perf.slo_recovered", "perf.slo_violation"])
    }

    @Test("with nothing published the list is empty")
    func emptyList() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let response = try service.client.get(service.url("/slo/violations"))
        #expect(response.status == 200)
        #expect(response.bodyText == #"{"violations":[]}"#)
    }

    @Test("after, limit, metric and slo select and page; limit counts events after filtering")
    func queryParameters() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let bus = service.service.bus
        for index in 0..<10 {
            try TestEvents.publish(.violation, metric: index.isMultiple(of: 2) ? "a" : "b", on: bus)
        }
        let client = service.client
        #expect(try Self.sequences(client.get(service.url("/slo/violations?after=7"))) == [8, 9, 10])
        #expect(try Self.sequences(client.get(service.url("/slo/violations?limit=3"))) == [1, 2, 3])
        #expect(try Self.sequences(client.get(service.url("/slo/violations?metric=b"))) == [2, 4, 6, 8, 10])
        #expect(try Self.sequences(client.get(service.url("/slo/violations?slo=a-p95"))) == [1, 3, 5, 7, 9])
        #expect(try Self.sequences(client.get(service.url("/slo/violations?metric=b&slo=a-p95"))).isEmpty)
        // Paging: the oldest `limit` matches after `after`, then continue from the last one seen.
        let first = try Self.sequences(client.get(service.url("/slo/violations?metric=b&limit=2")))
        #expect(first == [2, 4])
        let second = try Self.sequences(client.get(service.url("/slo/violations?metric=b&limit=2&after=4")))
        #expect(second == [6, 8])
        #expect(try Self.sequences(client.get(service.url("/slo/violations?after=10"))).isEmpty)
        #expect(
            try Self.sequences(client.get(service.url("/slo/violations?after=9223372036854775807"))).isEmpty)
        #expect(try Self.sequences(client.get(service.url("/slo/violations?limit=1000"))).count == 10)
    }

    @Test("the default limit is 100 and only the retained history is listed")
    func defaultLimitAndHistory() throws {
        let service = try InProcessService { $0.historyCapacity = 150 }
        defer { service.stop() }
        for _ in 0..<200 { try TestEvents.publish(.violation, metric: "a", on: service.service.bus) }
        let client = service.client
        #expect(try Self.sequences(client.get(service.url("/slo/violations"))) == Array(51...150))
        #expect(try Self.sequences(client.get(service.url("/slo/violations?limit=1000"))) == Array(51...200))
    }

    @Test(
        "a bad parameter is a 400 that names it",
        arguments: [
            ("after=-1", "'after'"), ("after=abc", "'after'"), ("after=1.5", "'after'"),
            ("after=", "'after'"),
            ("after=%2B5", "'after'"), ("after=9223372036854775808", "'after'"), ("limit=0", "limit: "),
            ("limit=1001", "limit: "), ("limit=ten", "limit: "), ("limit=%2B5", "limit: "),
            ("limit=-5", "limit: "), ("metric=", "'metric'"), ("slo=", "'slo'"),
        ])
    func badParameters(query: String, named: String) throws {
        let service = try InProcessService()
        defer { service.stop() }
        let response = try service.client.get(service.url("/slo/violations?\(query)"))
        #expect(response.status == 400)
        #expect(response.errorCode == "invalid_request")
        #expect(response.errorMessage?.contains(named) == true, "\(response.bodyText)")
    }

    @Test("a long bad value is quoted cut to 60 characters, in the page and in the stream form")
    func longBadValueIsCut() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let long = String(repeating: "x", count: 2_000)
        for (query, headers) in [
            ("after=\(long)", []), ("limit=\(long)", []),
            ("", [("Accept", "text/event-stream"), ("Last-Event-ID", long)]),
        ] {
            let response = try service.client.get(service.url("/slo/violations?\(query)"), headers: headers)
            #expect(response.status == 400)
            let message = response.errorMessage ?? ""
            #expect(message.contains("\"" + String(repeating: "x", count: 60) + "…\""), "\(message)")
            #expect(message.count < 200, "\(message)")
        }
    }

    @Test("HEAD answers like GET without a body; other methods get 405 with Allow")
    func headAndMethods() throws {
        let service = try InProcessService()
        defer { service.stop() }
        try TestEvents.publish(.violation, metric: "a", on: service.service.bus)
        let client = service.client
        let get = try client.get(service.url("/slo/violations"))
        let head = try client.request(method: "HEAD", url: service.url("/slo/violations"))
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.header("Content-Type") == "application/json; charset=utf-8")
        #expect(head.header("Content-Length") == String(get.body.count))
        let badHead = try client.request(method: "HEAD", url: service.url("/slo/violations?limit=0"))
        #expect(badHead.status == 400)
        let post = try client.post(service.url("/slo/violations"), body: [])
        #expect(post.status == 405)
        #expect(post.header("Allow")?.contains("GET") == true)
    }

    @Test("a generic Accept, or text/event-stream with q=0, gets JSON")
    func acceptWithoutStream() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        for accept in [
            "*/*", "application/json", "text/*", "text/event-stream;q=0", "text/event-stream;q=abc",
        ] {
            let response = try client.get(service.url("/slo/violations"), headers: [("Accept", accept)])
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json; charset=utf-8", "Accept: \(accept)")
            #expect(response.header("Vary") == "Accept, Accept-Encoding")
        }
    }
}
