import Dispatch
import Foundation
import Glibc
import SLOWatchHTTP
import TestRawClient
import Testing

/// Slow readers: clients that ask for a large response, pipeline a burst of requests or hold a stream,
/// and then never read. The write-stall timeout closes them while a normal client is served; an event
/// stream that merely has nothing to send is left open.
@Suite(.serialized) struct SlowReadTests {
    /// The size of `GET /big`, in bytes: more than the kernel's loopback socket buffers can hold
    /// (`tcp_wmem` max 4 MiB plus a 4 KiB receive buffer), so a client that never reads stalls it.
    static let bigBytes = 8 << 20

    /// The standard routes plus `GET /big` (``bigBytes`` of `b`), `GET /medium` (64 KiB), `GET /drip`
    /// (a stream of a 64 KiB chunk every 10 ms for at most 10 s: faster than the kernel's send buffer,
    /// at most 4 MiB, can absorb for a client that does not read) and `GET /quiet` (a stream that sends
    /// `first\n` at once and `second\n` 3 s later).
    private static func server(writeStall: Duration, maxOutboundBytes: Int = 1 << 20) throws -> TestServer {
        let big = [UInt8](repeating: 0x62, count: bigBytes)
        let medium = [UInt8](repeating: 0x6D, count: 64 * 1024)
        return try TestServer(
            configure: {
                $0.writeStallTimeout = writeStall
                $0.maxOutboundBytes = maxOutboundBytes
                $0.idleTimeout = .seconds(30)
            },
            routes: { router in
                TestServer.standardRoutes(&router)
                router.add(.get, "/big") { _ in HTTPResponse(status: 200, body: big) }
                router.add(.get, "/medium") { _ in HTTPResponse(status: 200, body: medium) }
                router.addStream(.get, "/drip", head: { _ in HTTPResponse(status: 200) }) { _, writer in
                    DispatchQueue.global().async {
                        let chunk = [UInt8](repeating: 0x64, count: 64 * 1024)
                        for _ in 0..<1_000 {
                            guard writer.write(chunk) else { return }
                            usleep(10_000)
                        }
                        writer.finish()
                    }
                }
                router.addStream(.get, "/quiet", head: { _ in HTTPResponse(status: 200) }) { _, writer in
                    writer.write(Array("first\n".utf8))
                    DispatchQueue.global().asyncAfter(deadline: .now() + 3) {
                        writer.write(Array("second\n".utf8))
                        writer.finish()
                    }
                }
            })
    }

    /// Waits (every 50 ms, at most `seconds`) until the server has no counted connection open.
    private static func settleOpenConnections(_ server: TestServer, seconds: Double) -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        while server.server.openConnections > 0 && Date() < deadline { usleep(50_000) }
        return server.server.openConnections
    }

    @Test func clientsThatNeverReadALargeResponseAreClosedByTheWriteStallTimeout() throws {
        let server = try Self.server(writeStall: .seconds(1))
        defer { server.stop() }
        var readers: [RawClient] = []
        for _ in 0..<4 {
            let reader = try server.rawClient(timeoutMilliseconds: 3000, receiveBufferBytes: 4096)
            try reader.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
            readers.append(reader)
        }
        let start = ContinuousClock.now
        // The normal client starts once the big answers are built (a one-time cost that a fast reader
        // causes too): what is measured is whether the stalled readers hurt anyone while they hang on.
        usleep(200_000)
        let probe = LatencyProbe(port: server.port)
        usleep(300_000)
        #expect(server.server.openConnections >= 4, "the readers are held while within the stall timeout")
        usleep(1_000_000)
        let (latencies, failures) = probe.finish()
        #expect(Self.settleOpenConnections(server, seconds: 5) == 0, "every stalled reader was closed")
        #expect(ContinuousClock.now - start >= .seconds(1))
        for reader in readers {
            // What the kernels had buffered still arrives, then the close: far less than the response.
            let received = try reader.readUntilClosed()
            #expect(received.count < Self.bigBytes, "a stalled reader got the whole response")
        }
        #expect(failures.isEmpty, "the normal client failed: \(failures.prefix(3))")
        let p99 = LatencyProbe.percentile(latencies, 0.99)
        #expect(p99 < 50, "the normal client's p99 was \(p99) ms over \(latencies.count) requests")
    }

    @Test func clientThatReadsAFewBytesAtATimeIsClosedByTheWriteStallTimeout() throws {
        // 16 bytes every 100 ms is 160 bytes a second: progress, but far below the 4 KiB that must go
        // out within each 1 s stall window, so it does not hold the connection (the slow-read attack).
        let server = try Self.server(writeStall: .seconds(1))
        defer { server.stop() }
        let reader = try server.rawClient(timeoutMilliseconds: 3000, receiveBufferBytes: 4096)
        try reader.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
        let start = ContinuousClock.now
        var received = 0
        let acceptedBy = Date().addingTimeInterval(3)
        while server.server.openConnections == 0 && Date() < acceptedBy { usleep(5_000) }
        // The server's side is what counts: the client's own small receive queue can still hold a few KB
        // after the reset, which at 160 bytes a second it would take a while to read.
        while ContinuousClock.now - start < .seconds(8) && server.server.openConnections > 0 {
            guard let bytes = try reader.readSome(limit: 16) else { break }
            received += bytes.count
            usleep(100_000)
        }
        #expect(
            server.server.openConnections == 0,
            "the slow reader was still connected after 8 s, having read \(received) bytes")
        #expect(ContinuousClock.now - start >= .milliseconds(900))
        #expect(received > 0, "the reader did read, slowly")
    }

    @Test func pipelinedBurstThatIsNeverReadStopsAtTheOutboundLimitAndIsClosed() throws {
        let server = try Self.server(writeStall: .seconds(1), maxOutboundBytes: 256 * 1024)
        defer { server.stop() }
        let reader = try server.rawClient(timeoutMilliseconds: 3000, receiveBufferBytes: 4096)
        // 500 requests for 64 KiB each: 32 MiB of answers, which the server must not build up in memory.
        let burst = String(repeating: "GET /medium HTTP/1.1\r\nHost: t\r\n\r\n", count: 500)
        try reader.send(burst)
        let start = ContinuousClock.now
        let answeringBy = Date().addingTimeInterval(3)
        while (server.server.responsesByStatus()[200] ?? 0) == 0 && Date() < answeringBy { usleep(10_000) }
        #expect(server.server.openConnections == 1, "the pipeliner is held while within the stall timeout")
        #expect(Self.settleOpenConnections(server, seconds: 5) == 0, "the stalled pipeliner was closed")
        #expect(ContinuousClock.now - start >= .milliseconds(900), "closed before the stall timeout")
        let answered = server.server.responsesByStatus()[200] ?? 0
        #expect(answered > 0)
        // The outbound limit (256 KiB) plus what the kernel's send buffer took (at most 4 MiB): ≤ 70 answers.
        #expect(answered < 100, "the server built \(answered) answers for a client that read none")
        let after = try server.exchange("GET /id/after HTTP/1.1\r\nHost: t\r\n\r\n").response
        #expect(after.bodyText == "after")
    }

    @Test func streamWhoseClientStopsReadingIsClosedByTheWriteStallTimeout() throws {
        // The outbound limit is far above what the drip sends in 10 s, so only the stall can close it.
        let server = try Self.server(writeStall: .seconds(1), maxOutboundBytes: 64 << 20)
        defer { server.stop() }
        let reader = try server.rawClient(timeoutMilliseconds: 3000, receiveBufferBytes: 4096)
        try reader.send("GET /drip HTTP/1.1\r\nHost: t\r\n\r\n")
        usleep(300_000)
        #expect(server.server.openConnections == 1)
        #expect(Self.settleOpenConnections(server, seconds: 8) == 0, "the stalled stream was closed")
        let received = try reader.readUntilClosed()
        #expect(received.count < 1_000 * 64 * 1024, "the stalled stream was not cut short")
    }

    @Test func idleStreamIsNotClosedByTheWriteStallTimeout() throws {
        let server = try Self.server(writeStall: .milliseconds(500))
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 5000)
        try client.send("GET /quiet HTTP/1.1\r\nHost: t\r\n\r\n")
        // Silent for 3 s, six times the stall timeout, with nothing queued: the stream must survive.
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == "first\nsecond\n")
    }
}
