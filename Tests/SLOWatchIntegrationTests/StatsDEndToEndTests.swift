import Foundation
import TestCurlClient
import Testing

/// StatsD through the real `slowatch` binary and the real Python `statsd` client from PyPI.
@Suite("StatsD end to end")
struct StatsDEndToEndTests {
    /// Whether `python3` can import the `statsd` package.
    static let hasPythonStatsD: Bool = {
        guard let python = ExternalTool.path("python3"),
            let result = try? SlowatchProcess.run(
                ["-c", "import statsd"], executablePath: python, timeout: 20)
        else { return false }
        return result.status == 0
    }()

    /// The StatsD port from `Taking StatsD lines over UDP and TCP on 127.0.0.1:PORT.`.
    private func statsdPort(_ child: SlowatchProcess) -> Int? {
        let marker = "Taking StatsD lines over UDP and TCP on 127.0.0.1:"
        guard child.waitForStandardError(containing: marker) else { return nil }
        let log = child.standardError
        guard let range = log.range(of: marker) else { return nil }
        return Int(log[range.upperBound...].prefix(while: \.isNumber))
    }

    /// The answer of `GET /metrics/{name}/percentiles` once the metric holds `count` samples.
    private func percentiles(port: Int, metric: String, count: Int) throws -> [String: Any]? {
        let client = try CurlClient()
        var answer: [String: Any]?
        _ = try waitUntil {
            let response = try client.get("http://127.0.0.1:\(port)/metrics/\(metric)/percentiles")
            guard response.status == 200, let json = try? response.json(), json["count"] as? Int == count
            else {
                return false
            }
            answer = json
            return true
        }
        return answer
    }

    /// Starts `slowatch --port 0 --statsd 127.0.0.1:0`, and returns it with its HTTP and StatsD ports.
    private func startSlowatch() throws -> (SlowatchProcess, http: Int, statsd: Int) {
        let child = try SlowatchProcess(["--port", "0", "--statsd", "127.0.0.1:0"])
        let http = try #require(child.boundPort(), "\(child.standardError)")
        let statsd = try #require(statsdPort(child), "\(child.standardError)")
        return (child, http, statsd)
    }

    @Test(
        "timings sent by the Python statsd client over UDP reach the percentiles of the real binary",
        .enabled(if: hasPythonStatsD, "python3 with the statsd package (pip install statsd) is not installed")
    )
    func pythonUDP() throws {
        let (child, http, statsd) = try startSlowatch()
        defer { child.kill() }
        let python = try #require(ExternalTool.path("python3"))
        let script = """
            import statsd
            c = statsd.StatsClient("127.0.0.1", \(statsd))
            for v in [12.5, 20, 30, 40]:
                c.timing("checkout.latency", v)
            c.timing("checkout.latency", 50, rate=1)
            c.gauge("fps", 60)
            c.incr("hits")
            """
        let result = try SlowatchProcess.run(["-c", script], executablePath: python)
        #expect(result.status == 0, "\(result.standardError)")
        let answer = try #require(try percentiles(port: http, metric: "checkout.latency", count: 5))
        #expect(answer["p50"] as? Double == 30, "\(answer)")
        #expect(answer["max"] as? Double == 50, "\(answer)")
        #expect(try percentiles(port: http, metric: "fps", count: 1)?["max"] as? Double == 60)
        #expect(try CurlClient().get("http://127.0.0.1:\(http)/metrics/hits/percentiles?q=0.5").status == 404)
    }

    @Test(
        "timings sent by the Python statsd client's TCPStatsClient reach the percentiles",
        .enabled(if: hasPythonStatsD, "python3 with the statsd package (pip install statsd) is not installed")
    )
    func pythonTCP() throws {
        let (child, http, statsd) = try startSlowatch()
        defer { child.kill() }
        let python = try #require(ExternalTool.path("python3"))
        let script = """
            import statsd
            c = statsd.TCPStatsClient("127.0.0.1", \(statsd))
            for v in range(1, 101):
                c.timing("search.latency", v)
            with c.pipeline() as p:
                p.timing("search.latency", 101)
                p.timing("search.latency", 102)
            c.close()
            """
        let result = try SlowatchProcess.run(["-c", script], executablePath: python)
        #expect(result.status == 0, "\(result.standardError)")
        let answer = try #require(try percentiles(port: http, metric: "search.latency", count: 102))
        #expect(answer["p99"] as? Double == 101, "\(answer)")
        #expect(answer["max"] as? Double == 102, "\(answer)")
    }

    @Test("lines sent with a raw UDP socket reach the binary's percentiles, bad lines do not stop it")
    func rawUDP() throws {
        let (child, http, statsd) = try startSlowatch()
        defer { child.kill() }
        try StatsDSocketClient.sendUDP("raw:5|ms\nnot a line\nraw:15|ms|@0.5|#k:v", port: statsd)
        try StatsDSocketClient.sendUDP("raw:25|h", port: statsd)
        let answer = try #require(try percentiles(port: http, metric: "raw", count: 3))
        #expect(answer["p50"] as? Double == 15, "\(answer)")
    }

    @Test("a busy StatsD port exits 69 naming the address and the --statsd flag")
    func busyPort() throws {
        let (child, _, statsd) = try startSlowatch()
        defer { child.kill() }
        let result = try SlowatchProcess.run(["--port", "0", "--statsd", "127.0.0.1:\(statsd)"])
        #expect(result.status == 69)
        #expect(
            result.standardError.contains(
                "Could not bind the StatsD UDP listener to 127.0.0.1:\(statsd): Address already in use"),
            "\(result.standardError)")
        #expect(
            result.standardError.contains(
                "Choose another address with --statsd or SLOWATCH_STATSD (127.0.0.1:\(statsd) came from the flag --statsd)."
            ))
    }
}
