import Testing

@testable import LoadGeneratorKit

@Suite("LoadGenerator against a local server")
struct LoadGeneratorTests {
    private func options(port: Int, rate: Double, seconds: Double, connections: Int) -> LoadOptions {
        var options = LoadOptions()
        options.port = port
        options.rate = rate
        options.durationSeconds = seconds
        options.connections = connections
        options.scenario = .getPercentiles
        options.drainSeconds = 10
        return options
    }

    @Test(
        "a 1 s stall on one connection shows in p99 and max: requests queued behind it count from their intended time"
    )
    func stallShowsInTail() throws {
        // 400 requests at 200 req/s over one connection; request 50 is held for 1 s, so the ~200
        // requests due during the stall wait for the connection. A closed-loop client would record one
        // slow request (under 1 % of them); measured from the intended times, the top 1 % are all ≥ 0.98 s.
        let server = try StallingServer(stallAt: 50, stallSeconds: 1)
        defer { server.stop() }
        let result = try LoadGenerator(options(port: server.port, rate: 200, seconds: 2, connections: 1))
            .run()
        #expect(result.sent == 400)
        #expect(result.completed == 400)
        #expect(result.errors == 0)
        #expect(result.latency.maximum >= 1_000_000_000)
        #expect(result.latency.value(atPercentile: 99) >= 900_000_000)
        // About half the requests were due during the stall, so even the median waited.
        #expect(result.latency.value(atPercentile: 90) >= 500_000_000)
        #expect(result.sendDelay.maximum >= 900_000_000)
    }

    @Test("with spare connections the same stall holds only its own request: the rest go out on time")
    func spareConnectionsAbsorbStall() throws {
        let server = try StallingServer(stallAt: 50, stallSeconds: 1)
        defer { server.stop() }
        let result = try LoadGenerator(options(port: server.port, rate: 200, seconds: 2, connections: 8))
            .run()
        #expect(result.completed == 400)
        #expect(result.errors == 0)
        #expect(result.latency.maximum >= 1_000_000_000)
        // One stalled request in 400 is below the 99th percentile's rank (396), so p99 is the normal tail.
        #expect(result.latency.value(atPercentile: 99) < 500_000_000)
    }

    @Test("a port with no server is reported as a connect failure")
    func noServer() throws {
        let server = try StallingServer(stallAt: 0, stallSeconds: 0)
        let port = server.port
        server.stop()
        #expect(throws: LoadError.self) {
            _ = try LoadGenerator(options(port: port, rate: 10, seconds: 0.1, connections: 1))
        }
    }
}
