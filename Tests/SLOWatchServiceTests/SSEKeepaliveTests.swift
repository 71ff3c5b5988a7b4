import Foundation
import SLOWatchCore
import Testing

@testable import SLOWatchService

@Suite("SSE keepalives")
struct SSEKeepaliveTests {
    /// The keepalive comments a reader received so far.
    static func keepalives(_ reader: SSEReader) -> Int {
        reader.messages.filter { $0.comments == ["keepalive"] }.count
    }

    @Test("a stream that keeps receiving events still gets a keepalive every interval")
    func keepaliveWhileBusy() throws {
        // A proxy's idle timeout is set from the keepalive interval, so the interval must bound the
        // silence of every stream; skipping busy streams let it stretch to two intervals.
        let service = try TestService { $0.keepaliveIntervalMilliseconds = 100 }
        defer { service.stop() }
        let reader = try TestEvents.connect(service)
        defer { reader.close() }
        // An event every 10 ms, so that every 100 ms tick finds the stream busy; 5 keepalives take
        // about half a second, and the 300 events cap the loop at a few seconds.
        var published = 0
        while Self.keepalives(reader) < 5, published < 300 {
            _ = try TestEvents.publish(.violation, metric: "a", on: service.service.bus)
            published += 1
            usleep(10_000)
        }
        #expect(Self.keepalives(reader) >= 5, "after \(published) events")
        #expect(reader.waitForEvents(published))
    }
}
