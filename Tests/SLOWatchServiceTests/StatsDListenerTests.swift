import Foundation
import Logging
import SLOWatchSync
import Testing

@testable import SLOWatchService

/// The StatsD listener over real UDP and TCP sockets on 127.0.0.1.
@Suite("StatsD listener")
struct StatsDListenerTests {
    /// A live service with a StatsD listener on a free port.
    private func service(
        logger: Logger? = nil, configure: (inout ServiceConfiguration) -> Void = { _ in }
    ) throws -> (TestService, port: Int) {
        let service = try TestService(logger: logger) { configuration in
            configuration.statsdAddress = ListenAddress(host: "127.0.0.1", port: 0)
            configure(&configuration)
        }
        return (service, try #require(service.service.statsdPort))
    }

    private func count(_ service: TestService, _ metric: String) -> Int {
        service.service.registry.summary(for: metric)?.count ?? 0
    }

    private func counters(_ service: TestService) -> (accepted: UInt64, rejected: UInt64, bad: UInt64) {
        let counters = service.service.counters
        return (
            ServiceCounters.read(counters.statsdLinesAccepted),
            ServiceCounters.read(counters.statsdLinesRejected),
            ServiceCounters.read(counters.statsdLinesBad)
        )
    }

    @Test("UDP datagrams of several lines are recorded, and counted per line")
    func udp() throws {
        let (service, port) = try service()
        defer { service.stop() }
        try StatsDSocketClient.sendUDP("a:1|ms\na:2|h\r\nb:3|d|@0.5|#k:v\n\nfps:60|g", port: port)
        try StatsDSocketClient.sendUDP("a:4:5|d", port: port)
        #expect(
            waitUntil { count(service, "a") == 4 && count(service, "b") == 1 && count(service, "fps") == 1 })
        #expect(counters(service) == (5, 0, 0))
        #expect(ServiceCounters.read(service.service.counters.samplesAccepted) == 6)
    }

    @Test(
        "bad lines and counters are counted and skipped, the good lines of the same datagram kept, and the listener goes on"
    )
    func badLines() throws {
        let (service, port) = try service()
        defer { service.stop() }
        try StatsDSocketClient.sendUDP(
            "good:1|ms\nbad\nhits:1|c\nusers:x|s\ngood:x|ms\ngood:2|ms", port: port)
        try StatsDSocketClient.sendUDP([[0xFF, 0x00, 0x0A, 0xC3], Array("good:+1|g".utf8), []], port: port)
        try StatsDSocketClient.sendUDP("good:3|ms", port: port)
        #expect(waitUntil { count(service, "good") == 3 })
        // Bad: "bad", "good:x", the two lines of the binary datagram, the signed gauge; an empty datagram
        // holds no line.
        #expect(waitUntil { counters(service) == (3, 2, 5) }, "\(counters(service))")
    }

    @Test("TCP lines split across writes are put back together; a last line without \\n counts at close")
    func tcpSplitWrites() throws {
        let (service, port) = try service()
        defer { service.stop() }
        let fd = try StatsDSocketClient.connectTCP(port: port)
        for part in ["tc", "p:1", "|ms\ntcp:2|m", "s\r", "\ntcp:3|", "ms\n\ntcp", ":4|ms"] {
            try StatsDSocketClient.write(fd, part)
            usleep(20_000)
        }
        #expect(waitUntil { count(service, "tcp") == 3 })
        close(fd)
        #expect(waitUntil { count(service, "tcp") == 4 })
        #expect(counters(service) == (4, 0, 0))
    }

    @Test("a TCP line over the length limit is one bad line; the connection goes on with the next line")
    func tcpLongLine() throws {
        let (service, port) = try service { $0.statsdLimits.maxLineBytes = 32 }
        defer { service.stop() }
        let fd = try StatsDSocketClient.connectTCP(port: port)
        defer { close(fd) }
        try StatsDSocketClient.write(fd, "long:" + String(repeating: "1", count: 40))
        usleep(50_000)
        try StatsDSocketClient.write(fd, String(repeating: "2", count: 100) + "|ms\nafter:1|ms\n")
        try StatsDSocketClient.write(fd, "whole:" + String(repeating: "3", count: 60) + "|ms\nafter:2|ms\n")
        #expect(waitUntil { count(service, "after") == 2 })
        #expect(count(service, "long") == 0)
        #expect(count(service, "whole") == 0)
        #expect(counters(service) == (2, 0, 2))
    }

    @Test("a TCP connection beyond the limit is closed at once; an idle one is closed after the timeout")
    func tcpConnectionLimits() throws {
        let (service, port) = try service {
            $0.statsdLimits.maxConnections = 2
            $0.statsdLimits.idleTimeoutMilliseconds = 300
        }
        defer { service.stop() }
        let first = try StatsDSocketClient.connectTCP(port: port)
        defer { close(first) }
        let second = try StatsDSocketClient.connectTCP(port: port)
        defer { close(second) }
        try StatsDSocketClient.write(first, "x:1|ms\n")
        try StatsDSocketClient.write(second, "x:2|ms\npartial:1")
        #expect(waitUntil { count(service, "x") == 2 })
        let third = try StatsDSocketClient.connectTCP(port: port)
        defer { close(third) }
        #expect(StatsDSocketClient.waitForClose(third, timeout: 1), "the third connection is over the limit")
        // No more bytes: both idle out, and the unfinished line is counted as bad.
        #expect(StatsDSocketClient.waitForClose(first, timeout: 3))
        #expect(StatsDSocketClient.waitForClose(second, timeout: 3))
        #expect(waitUntil { counters(service).bad == 1 })
        let fourth = try StatsDSocketClient.connectTCP(port: port)
        defer { close(fourth) }
        try StatsDSocketClient.write(fourth, "x:3|ms\n")
        #expect(waitUntil { count(service, "x") == 3 }, "room again once the idle ones closed")
    }

    @Test("a metric over the registry's limit loses its own lines only, counted as rejected")
    func metricLimit() throws {
        let (service, port) = try service { $0.maxMetrics = 2 }
        defer { service.stop() }
        try StatsDSocketClient.sendUDP("one:1|ms\nthree:1|ms\ntwo:2|ms\nthree:2|ms\none:3|ms", port: port)
        #expect(waitUntil { count(service, "one") == 2 && count(service, "three") == 2 })
        #expect(count(service, "two") == 0)
        #expect(service.service.registry.summary(for: "two") == nil)
        #expect(counters(service) == (4, 1, 0))
    }

    @Test("datagrams queued when the service stops are recorded before the port is freed")
    func stopDrains() throws {
        let (service, port) = try service()
        try StatsDSocketClient.sendUDP(Array(repeating: Array("late:1|ms".utf8), count: 50), port: port)
        service.stop()
        #expect(count(service, "late") == 50)
        #expect(service.service.statsdPort == nil)
        // The port is free again, for UDP and TCP.
        let again = try SLOWatchService(
            configuration: {
                var configuration = ServiceConfiguration()
                configuration.port = 0
                configuration.slos = []
                configuration.statsdAddress = ListenAddress(host: "127.0.0.1", port: port)
                return configuration
            }())
        _ = try again.start()
        defer { again.stop() }
        #expect(again.statsdPort == port)
    }

    @Test("a busy StatsD port fails start with a message naming the address, and leaves nothing listening")
    func bindFailure() throws {
        let (first, port) = try service()
        defer { first.stop() }
        var configuration = ServiceConfiguration()
        configuration.port = 0
        configuration.slos = []
        configuration.statsdAddress = ListenAddress(host: "127.0.0.1", port: port)
        let second = try SLOWatchService(configuration: configuration)
        #expect(
            throws: ServiceError(
                "Could not bind the StatsD UDP listener to 127.0.0.1:\(port): Address already in use (errno 98).",
                setting: .statsd)
        ) {
            try second.start()
        }
        #expect(second.port == nil, "the HTTP listener was stopped again")
        #expect(second.statsdPort == nil)
    }

    @Test("IPv6 loopback works for UDP")
    func ipv6() throws {
        let (service, _) = try service { $0.statsdAddress = ListenAddress(host: "::1", port: 0) }
        defer { service.stop() }
        let port = try #require(service.service.statsdPort)
        let fd = socket(AF_INET6, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = in_port_t(UInt16(port).bigEndian)
        address.sin6_addr = in6addr_loopback
        let line = Array("six:6|ms".utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, line, line.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
            }
        }
        #expect(sent == line.count)
        #expect(waitUntil { count(service, "six") == 1 })
    }

    @Test("bad lines are logged at debug level at a bounded rate, with a count of those left out")
    func boundedLog() throws {
        let log = ServiceLogLines(level: .debug)
        let lines = log.lines
        let logger = log.logger
        let (service, port) = try service(logger: logger) {
            $0.statsdLimits.logBurst = 3
            $0.statsdLimits.logIntervalMilliseconds = 200
        }
        defer { service.stop() }
        try StatsDSocketClient.sendUDP(String(repeating: "bad\n", count: 100) + "ok:1|ms", port: port)
        #expect(waitUntil { count(service, "ok") == 1 })
        #expect(
            waitUntil {
                lines.withLock { $0.contains { $0.contains("97 more StatsD problems were not logged") } }
            },
            "\(lines.withLock { $0 })")
        let logged = lines.withLock { $0 }
        #expect(logged.filter { $0.contains(#"StatsD line over UDP bad ("bad"): it has no ':'"#) }.count == 3)
        #expect(counters(service).bad == 100)
    }
}
