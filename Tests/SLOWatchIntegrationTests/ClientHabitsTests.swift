import Foundation
import TestCurlClient
import Testing

/// The habits of real HTTP clients against the real binary (issue 19, items 1 and 3): Python `requests`
/// sends a list parameter as `q=0.5&q=0.9`, and Node's `fetch` labels a string body `text/plain`.
@Suite("Client habits through the binary")
struct ClientHabitsTests {
    /// Whether `python3` can import `requests`, installing it with pip when it is missing.
    static let hasPythonRequests: Bool = {
        guard let python = ExternalTool.path("python3") else { return false }
        let imports = {
            (try? SlowatchProcess.run(["-c", "import requests"], executablePath: python))?.status == 0
        }
        if imports() { return true }
        let environment = ["PIP_ROOT_USER_ACTION": "ignore", "PIP_DISABLE_PIP_VERSION_CHECK": "1"]
        for extra in [[], ["--break-system-packages"]] {
            _ = try? SlowatchProcess.run(
                ["-m", "pip", "install", "--quiet"] + extra + ["requests"], environment: environment,
                executablePath: python, timeout: 120)
            if imports() { return true }
        }
        return false
    }()

    /// Starts `slowatch --port 0` and posts `checkout` with the samples 1…100 ms.
    private func startWithSamples() throws -> (SlowatchProcess, port: Int) {
        let child = try SlowatchProcess(["--port", "0"])
        let port = try #require(child.boundPort(), "\(child.standardError)")
        let posted = try CurlClient().post(
            "http://127.0.0.1:\(port)/samples",
            body: Array(TestSamples.json("checkout", (1...100).map(Double.init)).utf8),
            headers: [("Content-Type", "application/json")])
        #expect(posted.status == 200, "\(posted.bodyText)")
        return (child, port)
    }

    @Test(
        "requests' params={'q': [...]} gets every quantile, and a repeated limit gets 400 naming it",
        .enabled(if: hasPythonRequests, "python3 with requests (pip install requests) is not available"))
    func pythonRequestsListParameter() throws {
        let (child, port) = try startWithSamples()
        defer { child.kill() }
        let python = try #require(ExternalTool.path("python3"))
        let script = """
            import requests, sys
            base = "http://127.0.0.1:\(port)"
            r = requests.get(base + "/metrics/checkout/percentiles", params={"q": ["0.5", "0.9"]})
            assert r.url.endswith("?q=0.5&q=0.9"), r.url
            assert r.status_code == 200, r.text
            assert r.json()["quantiles"] == {"0.5": 50, "0.9": 90}, r.text
            r = requests.get(base + "/metrics/checkout/samples", params={"limit": [1, 3]})
            assert r.status_code == 400, r.text
            error = r.json()["error"]
            assert error["code"] == "invalid_request", r.text
            assert "'limit' comes 2 times" in error["message"], r.text
            print("ok")
            """
        let result = try SlowatchProcess.run(["-c", script], executablePath: python)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("ok"))
    }

    @Test(
        "Node's fetch with a JSON string body and no Content-Type gets 415 advising application/json",
        .enabled(if: ExternalTool.isInstalled("node"), ExternalTool.skipReason("node")))
    func nodeFetchTextPlain() throws {
        let (child, port) = try startWithSamples()
        defer { child.kill() }
        let node = try #require(ExternalTool.path("node"))
        let script = """
            const url = "http://127.0.0.1:\(port)/samples";
            const body = JSON.stringify({metric: "checkout", value: 12.5});
            (async () => {
              const refused = await fetch(url, {method: "POST", body});
              const answer = await refused.json();
              if (refused.status !== 415) throw new Error(`status ${refused.status}: ${JSON.stringify(answer)}`);
              if (!answer.error.message.includes("looks like JSON")) throw new Error(answer.error.message);
              if (!answer.error.message.includes("'text/plain;charset=UTF-8'")) throw new Error(answer.error.message);
              const fixed = await fetch(url, {method: "POST", body, headers: {"Content-Type": "application/json"}});
              if (fixed.status !== 200) throw new Error(`fixed: ${fixed.status} ${await fixed.text()}`);
              console.log("ok");
            })().catch((e) => { console.error(e.message); process.exit(1); });
            """
        let result = try SlowatchProcess.run(["-e", script], executablePath: node)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("ok"))
    }
}
