import Foundation
import SLOWatchCore
import SLOWatchCoreTesting
import TestCurlClient
import TestRawClient
import Testing

@testable import SLOWatchService

@Suite("SSE back-pressure")
struct SSEBackpressureTests {
    @Test("a subscriber that does not read is dropped, while another keeps receiving every event")
    func stalledSubscriberIsDropped() throws {
        let capture = LogCapture()
        let service = try TestService(logger: capture.logger) {
            $0.keepaliveIntervalMilliseconds = 200
            $0.maxOutboundBytes = 256 * 1024
        }
        defer { service.stop() }
        let bus = service.service.bus
        let reader = try TestEvents.connect(service)
        defer { reader.close() }
        // A client that sends the request and never reads, with a small receive buffer so that the
        // server's unsent bytes pile up quickly.
        let stalled = try RawClient(port: service.port, timeoutMilliseconds: 2000, receiveBufferBytes: 4096)
        try stalled.send(
            "GET /slo/violations HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
        #expect(reader.wait { _ in service.service.streams.count == 2 })
        let payload: EventPayload = [
            "slo": "a-p95", "metric": "a", "padding": .string(String(repeating: "x", count: 8 * 1024)),
        ]
        // Batches of 16 events of about 8 KiB: the reader drains each batch before the next, so only
        // the stalled client's unsent bytes grow. 400 batches (about 50 MiB) is far more than any
        // socket buffer plus the 256 KiB limit; the loop stops as soon as the stalled client is dropped.
        var published = 0
        var dropped = false
        for _ in 0..<400 {
            for _ in 0..<16 { try bus.publish(topic: SLOEvent.violationTopic, payload: payload) }
            published += 16
            let caughtUp = reader.wait { $0.events.count >= published }
            #expect(caughtUp, "the reading subscriber stopped receiving after \(reader.events.count) events")
            guard caughtUp else { break }
            if service.service.streams.count == 1 {
                dropped = true
                break
            }
        }
        #expect(dropped)
        let warnings = capture.messages(atLeast: .warning).filter { $0.contains("passed the outbound limit") }
        #expect(warnings.count == 1, "the drop is logged once: \(warnings)")
        // The stalled client's connection was closed: once it reads, it reaches the end.
        #expect(throws: Never.self) { _ = try stalled.readUntilClosed() }
        // The other subscriber got everything, in order, and still receives.
        try TestEvents.publish(.violation, metric: "b", on: bus)
        #expect(reader.waitForEvents(published + 1))
        #expect(SSEStreamTests.ids(reader) == Array(1...(published + 1)))
        #expect(!reader.isFinished)
    }

    @Test("a stream whose bus queue overflows is ended (the client then reconnects with Last-Event-ID)")
    func queueOverflowEndsTheStream() throws {
        let service = try TestService {
            $0.keepaliveIntervalMilliseconds = 200
            $0.streamQueueCapacity = 2
        }
        defer { service.stop() }
        for _ in 0..<5 { try TestEvents.publish(.violation, metric: "a", on: service.service.bus) }
        // Replaying five events into a queue of two overflows it, deterministically.
        let reader = SSEReader(url: service.url("/slo/violations"), headers: [("Last-Event-ID", "0")])
        #expect(reader.waitUntilFinished())
        #expect(reader.failure == nil, "\(reader.failure ?? "")")
        #expect(reader.text.hasPrefix("retry: 2000\n\n"))
        #expect(reader.events.isEmpty)
        #expect(service.service.streams.count == 0)
        // A live-only subscriber with the same small queue is unaffected.
        let live = try TestEvents.connect(service)
        defer { live.close() }
        try TestEvents.publish(.violation, metric: "a", on: service.service.bus)
        #expect(live.waitForEvents(1))
        #expect(SSEStreamTests.ids(live) == [6])
    }
}
