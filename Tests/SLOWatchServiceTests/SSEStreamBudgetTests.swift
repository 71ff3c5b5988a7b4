import Foundation
import SLOWatchCore
import TestRawClient
import Testing

@testable import SLOWatchService

/// The stream bounds as the API shows them: 503 `too_many_streams` past `maxStreams`, and a client dropped
/// for the streams' byte budget resumes with `Last-Event-ID` and gets what it missed.
@Suite("SSE stream budget")
struct SSEStreamBudgetTests {
    @Test("a stream beyond maxStreams gets 503 too_many_streams naming the limit and the flag")
    func streamBeyondTheLimit() throws {
        let service = try TestService {
            $0.maxConnections = 4
            $0.keepaliveIntervalMilliseconds = 200
        }
        defer { service.stop() }
        #expect(service.service.configuration.effectiveMaxStreams == 2)
        let first = try TestEvents.connect(service, subscribers: 1)
        defer { first.close() }
        let second = try TestEvents.connect(service, subscribers: 2)
        defer { second.close() }
        let refused = try RawClient(port: service.port, timeoutMilliseconds: 3000)
        try refused.send(
            "GET /slo/violations HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
        let response = try refused.readResponse()
        #expect(response.status == 503)
        #expect(response.errorCode == "too_many_streams")
        #expect(response.header("Retry-After") == "2")
        #expect(response.bodyText.contains("2 open streams"))
        #expect(response.bodyText.contains("--max-streams"))
        // Plain requests still find a slot.
        let health = try RawClient(port: service.port, timeoutMilliseconds: 3000)
        try health.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try health.readResponse().status == 200)
    }

    @Test(
        "the stream furthest behind is dropped for the byte budget, and resuming with Last-Event-ID replays what it missed"
    )
    func furthestBehindIsDroppedAndResumes() throws {
        let service = try TestService {
            $0.keepaliveIntervalMilliseconds = 60_000
            $0.maxOutboundBytes = 64 << 20
            $0.streamBufferLimitBytes = 512 * 1024
            $0.historyCapacity = 50_000
        }
        defer { service.stop() }
        let bus = service.service.bus
        let reader = try TestEvents.connect(service)
        defer { reader.close() }
        let payload: EventPayload = [
            "slo": "a-p95", "metric": "a", "padding": .string(String(repeating: "x", count: 8 * 1024)),
        ]
        var published = 0
        /// Publishes 4 events of about 8 KiB and waits until the reader has them, so only the clients
        /// that do not read fall behind.
        func publishBatch() throws {
            for _ in 0..<4 { try bus.publish(topic: SLOEvent.violationTopic, payload: payload) }
            published += 4
            #expect(reader.wait { $0.events.count >= published })
        }
        // Two clients that never read: `far` opens first and gets 32 events (about 256 KiB) more than
        // `near`, which opens later; both have the same socket buffers.
        let far = try Self.stalledStream(service, expecting: 2)
        for _ in 0..<8 { try publishBatch() }
        let near = try Self.stalledStream(service, expecting: 3)
        var dropped = false
        for _ in 0..<1_000 {
            try publishBatch()
            if service.service.streams.count < 3 {
                dropped = true
                break
            }
        }
        #expect(dropped)
        #expect(!reader.isFinished)
        // `far` went first; `near` is still open (its connection has not ended).
        #expect(service.service.streams.count == 2)
        let received = String(decoding: try far.readUntilClosed(), as: UTF8.self)
        let seen = Self.completeEventIDs(received)
        let lastSeen = seen.last ?? 0
        #expect(seen == Array(stride(from: 1, through: lastSeen, by: 1)))
        #expect(lastSeen < published)

        // Once `near` leaves, the resumed replay (about what `far` held queued) fits in the budget.
        near.close()
        #expect(reader.wait { _ in service.service.streams.count == 1 })
        let resumed = SSEReader(
            url: service.url("/slo/violations"), headers: [("Last-Event-ID", String(lastSeen))])
        defer { resumed.close() }
        #expect(resumed.waitForEvents(published - lastSeen))
        #expect(SSEStreamTests.ids(resumed) == Array((lastSeen + 1)...published))
    }

    /// A raw client that asks for the stream and never reads (a 4 KiB receive buffer), once the service
    /// counts `count` streams.
    static func stalledStream(_ service: TestService, expecting count: Int) throws -> RawClient {
        let client = try RawClient(port: service.port, timeoutMilliseconds: 3000, receiveBufferBytes: 4096)
        try client.send(
            "GET /slo/violations HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
        for _ in 0..<200 where service.service.streams.count < count { usleep(10_000) }
        #expect(service.service.streams.count == count)
        return client
    }

    @Test("max-streams above max-connections is refused at start, naming both and where they came from")
    func maxStreamsAboveMaxConnections() throws {
        let resolver = SettingsResolver(flags: [.maxStreams: "200", .maxConnections: "100"])
        do {
            _ = try resolver.resolve()
            Issue.record("max-streams 200 with max-connections 100 was accepted")
        } catch {
            #expect(error.message.contains("max-streams is 200 (from the flag --max-streams)"))
            #expect(
                error.message.contains("more than max-connections, 100 (from the flag --max-connections)"))
        }
        let settings = try SettingsResolver(flags: [.maxConnections: "100"]).resolve()
        #expect(settings.configuration.effectiveMaxStreams == 50)
        #expect(settings.configuration.httpServer.effectiveMaxStreams == 50)
    }

    /// The ids of the complete events in a raw chunked SSE body (each event is one chunk, so a complete
    /// one is contiguous: `id: N\nevent: …\ndata: …\n\n`).
    static func completeEventIDs(_ text: String) -> [Int] {
        var ids: [Int] = []
        var rest = Substring(text)
        while let range = rest.range(of: "id: ") {
            let after = rest[range.upperBound...]
            guard let end = after.range(of: "\n\n"), let newline = after.firstIndex(of: "\n"),
                let id = Int(after[..<newline])
            else { break }
            let frame = after[..<end.lowerBound]
            if frame.contains("\ndata: ") { ids.append(id) }
            rest = after[end.upperBound...]
        }
        return ids
    }
}
