import Dispatch
import Foundation
import SLOWatchSync
import TestCurlClient
import Testing

/// `slowatch serve` as a process: the startup line, precedence, a busy port and graceful signals.
@Suite("CLI serve")
struct CLIServeTests {
    /// Writes `text` to a fresh temporary file and returns its path; the caller removes it.
    private func temporaryFile(_ text: String) throws -> String {
        try TemporaryFile.create(text, prefix: "slowatch-serve", suffix: ".yaml")
    }

    /// `GET /healthz` on `port`, decoded.
    private func health(_ port: Int) throws -> [String: Any] {
        let response = try CurlClient().get("http://127.0.0.1:\(port)/healthz")
        #expect(response.status == 200)
        return try response.json()
    }

    @Test("with no configuration it serves the seven embedded SLOs and says so in one startup line")
    func defaults() throws {
        let child = try SlowatchProcess(["--port", "0"])
        defer { child.kill() }
        let port = try #require(child.boundPort(), "startup line: \(child.standardError)")
        #expect(try health(port)["slos"] as? Int == 7)
        #expect(
            child.standardError.contains(
                "slowatch 0.5.0 listening on http://127.0.0.1:\(port) with 7 SLOs from embedded defaults, "
                    + "checking every 5s."))
    }

    @Test("SIGTERM and SIGINT shut down gracefully and exit 0 within 15 s", arguments: [SIGTERM, SIGINT])
    func signals(signal: Int32) throws {
        let child = try SlowatchProcess(["serve", "--port", "0"])
        defer { child.kill() }
        let port = try #require(child.boundPort(), "startup line: \(child.standardError)")
        #expect(try health(port)["status"] as? String == "ok")
        child.send(signal)
        #expect(child.waitForExit(timeout: 15) == 0, "\(child.standardError)")
        #expect(child.standardError.contains("shutting down gracefully"))
        #expect(child.standardError.contains("Stopped."))
    }

    @Test("SIGTERM with an open event stream ends the stream and still exits 0")
    func signalWithOpenStream() throws {
        let child = try SlowatchProcess(["--port", "0"])
        defer { child.kill() }
        let port = try #require(child.boundPort(), "startup line: \(child.standardError)")
        let received = PThreadLock([UInt8]())
        let firstChunk = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            defer { finished.signal() }
            let client = try? CurlClient()
            _ = try? client?.stream(
                "http://127.0.0.1:\(port)/slo/violations", headers: [("Accept", "text/event-stream")],
                timeoutMilliseconds: 30_000
            ) { chunk in
                let isFirst = received.withLock { bytes in
                    defer { bytes.append(contentsOf: chunk) }
                    return bytes.isEmpty
                }
                if isFirst { firstChunk.signal() }
                return true
            }
        }
        #expect(firstChunk.wait(timeout: .now() + 10) == .success, "the stream opened")
        child.send(SIGTERM)
        #expect(child.waitForExit(timeout: 15) == 0, "\(child.standardError)")
        #expect(finished.wait(timeout: .now() + 10) == .success, "the stream ended with the process")
        #expect(String(decoding: received.withLock { $0 }, as: UTF8.self).hasPrefix("retry: 2000"))
    }

    @Test(
        "a busy port exits 69 with a message naming the port and the flag, from the flag or the environment")
    func busyPort() throws {
        let busy = try TestService()
        defer { busy.stop() }
        let fromFlag = try SlowatchProcess.run(["--port", "\(busy.port)"])
        #expect(fromFlag.status == 69)
        #expect(fromFlag.standardError.contains("127.0.0.1 port \(busy.port)"), "\(fromFlag.standardError)")
        #expect(fromFlag.standardError.contains("--port or SLOWATCH_PORT"))
        #expect(fromFlag.standardError.contains("came from the flag --port"))
        let fromEnvironment = try SlowatchProcess.run([], environment: ["SLOWATCH_PORT": "\(busy.port)"])
        #expect(fromEnvironment.status == 69)
        #expect(fromEnvironment.standardError.contains("came from the environment SLOWATCH_PORT"))
    }

    @Test(
        "the check interval comes from the flag, else the environment, else the file, as the startup line shows"
    )
    func precedence() throws {
        let path = try temporaryFile("checkInterval: 9s\nport: 1\nslos: []\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let cases: [([String], [String: String], String)] = [
            (["--check-interval", "3s"], ["SLOWATCH_CHECK_INTERVAL": "7s"], "3s"),
            ([], ["SLOWATCH_CHECK_INTERVAL": "7s"], "7s"),
            ([], [:], "9s"),
        ]
        for (flags, extra, expected) in cases {
            // SLOWATCH_PORT=0 must beat the file's port 1, which would need privileges to bind.
            let environment = extra.merging(["SLOWATCH_CONFIG": path, "SLOWATCH_PORT": "0"]) { own, _ in own }
            let child = try SlowatchProcess(flags, environment: environment)
            defer { child.kill() }
            let port = try #require(child.boundPort(), "\(flags): \(child.standardError)")
            #expect(child.standardError.contains("with 0 SLOs from \(path), checking every \(expected)."))
            #expect(try health(port)["slos"] as? Int == 0, "the file's empty SLO list replaced the defaults")
        }
    }

    @Test(
        "--log-format json writes every line as a JSON object, and unknown SLOWATCH_ variables are warned about"
    )
    func jsonLogs() throws {
        let child = try SlowatchProcess(
            ["--port", "0"], environment: ["SLOWATCH_LOG_FORMAT": "json", "SLOWATCH_CHEK_INTERVAL": "1s"])
        defer { child.kill() }
        #expect(child.boundPort() != nil, "\(child.standardError)")
        child.send(SIGTERM)
        #expect(child.waitForExit(timeout: 15) == 0)
        let lines = child.standardError.split(separator: "\n")
        #expect(lines.count >= 4)
        var messages: [String] = []
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            messages.append(object?["message"] as? String ?? "not an object: \(line)")
        }
        #expect(
            messages.first
                == "The environment variable SLOWATCH_CHEK_INTERVAL names no setting; it is ignored.")
        #expect(messages.contains { $0.contains("listening on http://127.0.0.1:") })
    }
}
