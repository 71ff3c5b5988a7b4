import Foundation
import Glibc
import SLOWatchHTTP
import TestRawClient
import Testing

/// Slowloris and slow body (RUDY): hundreds of connections that send their request a byte at a time are
/// each closed with 408 by the head timeout or the minimum body rate, while a normal client keeps being
/// served fast. Serialized, so that the latency measured is not another test's load.
@Suite(.serialized) struct SlowClientTests {
    /// One attacking connection and when its fate was sealed.
    private struct Dribbler {
        let client: RawClient
        let connectedAt: ContinuousClock.Instant
        /// When the server's answer (or close) was first seen.
        var answeredAt: ContinuousClock.Instant?
    }

    /// Opens `count` connections, sends each `prefix`, then sends each one byte of `trickle` every
    /// `byteInterval` until the server has answered it (polled every 50 ms), for at most `duration`.
    private static func dribble(
        port: Int, count: Int, prefix: String, trickle: [UInt8], byteInterval: Duration, duration: Duration
    ) throws -> [Dribbler] {
        var dribblers: [Dribbler] = []
        for _ in 0..<count {
            let client = try RawClient(port: port, timeoutMilliseconds: 3000)
            if !prefix.isEmpty { try client.send(prefix) }
            dribblers.append(Dribbler(client: client, connectedAt: .now))
        }
        let clock = ContinuousClock()
        let end = clock.now + duration
        var nextByte = clock.now + byteInterval
        var offset = 0
        while clock.now < end && dribblers.contains(where: { $0.answeredAt == nil }) {
            let sendNow = clock.now >= nextByte
            for index in dribblers.indices where dribblers[index].answeredAt == nil {
                if dribblers[index].client.isReadable() {
                    dribblers[index].answeredAt = clock.now
                } else if sendNow {
                    // A send can fail when the server closed in between; the poll above sees it next.
                    try? dribblers[index].client.send([trickle[offset % trickle.count]])
                }
            }
            if sendNow {
                offset += 1
                nextByte = nextByte + byteInterval
            }
            usleep(50_000)
        }
        return dribblers
    }

    @Test func fiveHundredSlowlorisConnectionsAreClosedByTheHeadTimeoutWhileANormalClientIsServed() throws {
        let headTimeout = Duration.seconds(2)
        let server = try TestServer(configure: {
            $0.headTimeout = headTimeout
            $0.maxConnections = 1_000
        })
        defer { server.stop() }
        let probe = LatencyProbe(port: server.port)
        let dribblers = try Self.dribble(
            port: server.port, count: 500, prefix: "", trickle: Array("GET /hello HTTP/1.1\r\nX-Slow: ".utf8),
            byteInterval: .seconds(1), duration: .seconds(6))
        let (latencies, failures) = probe.finish()

        var early = 0
        var late = 0
        var not408: [String] = []
        for dribbler in dribblers {
            guard let answeredAt = dribbler.answeredAt else {
                late += 1
                continue
            }
            let held = answeredAt - dribbler.connectedAt
            if held < headTimeout - .milliseconds(100) { early += 1 }
            if held > headTimeout + .seconds(2) { late += 1 }
            do {
                let response = try dribbler.client.readResponse()
                if response.status != 408 || !response.bodyText.contains("request head did not arrive") {
                    not408.append("\(response.status) \(response.bodyText)")
                }
            } catch {
                not408.append("\(error)")
            }
        }
        #expect(early == 0, "connections answered before the 2 s head timeout")
        #expect(late == 0, "connections not answered within the head timeout plus 2 s")
        #expect(not408.isEmpty, "\(not408.count) answers were not the head-timeout 408: \(not408.prefix(3))")
        #expect(failures.isEmpty, "the normal client failed: \(failures.prefix(3))")
        #expect(latencies.count >= 50, "the normal client made only \(latencies.count) requests")
        let p99 = LatencyProbe.percentile(latencies, 0.99)
        #expect(p99 < 50, "the normal client's p99 was \(p99) ms over \(latencies.count) requests")
        #expect(ServerSocketCount.settle(port: server.port, to: 1) == 1, "only the listener is left open")
    }

    @Test func slowBodiesAreClosedByTheMinimumBodyRateWhileANormalClientIsServed() throws {
        // Each body byte comes every 500 ms, well within the 2 s body timeout, so only the minimum rate
        // (240 bytes a second after a 1.5 s grace) can end these requests.
        let server = try TestServer(configure: {
            $0.bodyTimeout = .seconds(2)
            $0.minBodyRateGrace = .milliseconds(1500)
            $0.minBodyBytesPerSecond = 240
        })
        defer { server.stop() }
        let probe = LatencyProbe(port: server.port)
        let start = ContinuousClock.now
        let dribblers = try Self.dribble(
            port: server.port, count: 200,
            prefix: "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n",
            trickle: Array("0123456789".utf8), byteInterval: .milliseconds(500), duration: .seconds(6))
        let (latencies, failures) = probe.finish()

        let unanswered = dribblers.filter { $0.answeredAt == nil }.count
        #expect(unanswered == 0, "\(unanswered) slow bodies were still open after 6 s")
        let answeredAt = dribblers.compactMap(\.answeredAt)
        let earliest = answeredAt.min().map { $0 - start } ?? .zero
        #expect(earliest >= .milliseconds(1400), "a slow body was cut before the grace: \(earliest)")
        var wrong: [String] = []
        for dribbler in dribblers {
            guard let response = try? dribbler.client.readResponse() else {
                wrong.append("no response")
                continue
            }
            if response.status != 408 || !response.bodyText.contains("slower than 240 bytes a second") {
                wrong.append("\(response.status) \(response.bodyText)")
            }
            if !dribbler.client.closesWithoutMoreBytes() { wrong.append("not closed after the 408") }
        }
        #expect(wrong.isEmpty, "\(wrong.count) wrong outcomes: \(wrong.prefix(3))")
        #expect(failures.isEmpty, "the normal client failed: \(failures.prefix(3))")
        let p99 = LatencyProbe.percentile(latencies, 0.99)
        #expect(p99 < 50, "the normal client's p99 was \(p99) ms over \(latencies.count) requests")
    }

    @Test func bodyFasterThanTheMinimumRateIsNotCutOff() throws {
        let server = try TestServer(configure: {
            $0.bodyTimeout = .seconds(2)
            $0.minBodyRateGrace = .milliseconds(500)
            $0.minBodyBytesPerSecond = 240
        })
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 3000)
        try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n")
        // 1,000 bytes in ten pieces over ~1.35 s: ~740 bytes a second, past the grace but above the rate.
        try client.sendInPieces(
            [UInt8](repeating: 0x61, count: 1000), pieceSize: 100, pauseMicroseconds: 150_000)
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.body.count == 1000)
    }
}
