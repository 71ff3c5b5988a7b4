import Foundation
import TestCurlClient
import Testing

/// Ingest habits of real clients against the real binary (issue 19, items 2 and 7): Python's
/// `time.time()` is seconds, which `POST /samples` refuses with a 400 saying so, and DogStatsd's
/// `timed()` sends seconds unless `use_ms=True` (the README's snippet, run with the `datadog` client).
@Suite("Client habits: ingest through the binary")
struct ClientHabitsIngestTests {
    /// Whether `requests` can be imported, installed when missing.
    static let hasRequests = PythonModules.importable(["requests"], installing: ["requests"])
    /// Whether the `datadog` client (DogStatsd) can be imported, installed when missing.
    static let hasDatadog = PythonModules.importable(["datadog"], installing: ["datadog"])

    @Test(
        "requests posting time.time() (seconds) gets 400 naming samples[1].timestamp and its value in ms",
        .enabled(if: hasRequests, PythonModules.skipReason(["requests"])))
    func secondsTimestampRefused() throws {
        let child = try SlowatchProcess(["--port", "0"])
        defer { child.kill() }
        let port = try #require(child.boundPort(), "\(child.standardError)")
        let python = try #require(ExternalTool.path("python3"))
        let script = """
            import requests, time
            url = "http://127.0.0.1:\(port)/samples"
            now = int(time.time())
            samples = [{"metric": "checkout", "value": 12.5}, {"metric": "checkout", "value": 48, "timestamp": now}]
            r = requests.post(url, json={"samples": samples})
            assert r.status_code == 400, r.text
            message = r.json()["error"]["message"]
            assert message.startswith(f"samples[1].timestamp: {now} looks like seconds, not milliseconds"), message
            assert message.endswith(f"if it is in seconds, send {now}000."), message
            assert requests.get("http://127.0.0.1:\(port)/metrics/checkout").status_code == 404, "nothing recorded"
            samples[1]["timestamp"] = now * 1000
            r = requests.post(url, json={"samples": samples})
            assert r.status_code == 200 and r.json() == {"accepted": 2}, r.text
            print("ok")
            """
        let result = try SlowatchProcess.run(["-c", script], executablePath: python)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("ok"))
    }

    @Test(
        "the README's DogStatsd timed() with use_ms=True records ms; without use_ms the same call arrives as seconds",
        .enabled(if: hasDatadog, PythonModules.skipReason(["datadog"])))
    func dogStatsdTimed() throws {
        let child = try SlowatchProcess(["--port", "0", "--statsd", "127.0.0.1:0"])
        defer { child.kill() }
        let http = try #require(child.boundPort(), "\(child.standardError)")
        let statsd = try #require(Self.statsdPort(child), "\(child.standardError)")
        let python = try #require(ExternalTool.path("python3"))
        let snippet = try ReadmeSnippet.code("dogstatsd-timed")
        #expect(snippet.contains("port=8125, use_ms=True"))
        let withMilliseconds = snippet.replacingOccurrences(of: "port=8125", with: "port=\(statsd)")
        #expect(try SlowatchProcess.run(["-c", withMilliseconds], executablePath: python).status == 0)
        let first = try Self.percentiles(port: http, count: 1)
        let min = first?["min"] as? Double ?? 0
        #expect(min >= 45 && min < 5_000, "time.sleep(0.05) is at least 50 ms: \(first ?? [:])")

        let withoutFlag = withMilliseconds.replacingOccurrences(of: ", use_ms=True", with: "")
        #expect(try SlowatchProcess.run(["-c", withoutFlag], executablePath: python).status == 0)
        let second = try Self.percentiles(port: http, count: 2)
        #expect((second?["min"] as? Double ?? 1) < 1, "the same 50 ms in seconds: \(second ?? [:])")
    }

    /// The StatsD port from the startup line `Taking StatsD lines over UDP and TCP on 127.0.0.1:PORT.`.
    private static func statsdPort(_ child: SlowatchProcess) -> Int? {
        let marker = "Taking StatsD lines over UDP and TCP on 127.0.0.1:"
        guard child.waitForStandardError(containing: marker) else { return nil }
        let log = child.standardError
        guard let range = log.range(of: marker) else { return nil }
        return Int(log[range.upperBound...].prefix(while: \.isNumber))
    }

    /// `GET /metrics/checkout.latency/percentiles` once it counts `count` samples (within 10 s).
    private static func percentiles(port: Int, count: Int) throws -> [String: Any]? {
        let client = try CurlClient()
        let deadline = Date().addingTimeInterval(10)
        repeat {
            let response = try client.get("http://127.0.0.1:\(port)/metrics/checkout.latency/percentiles")
            if response.status == 200, let json = try? response.json(), json["count"] as? Int == count {
                return json
            }
            usleep(50_000)
        } while Date() < deadline
        return nil
    }
}
