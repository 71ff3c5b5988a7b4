import Foundation
import TestCurlClient
import Testing

/// The README's SSE client loops (issue 19, items 4 and 7), taken from the README and run with the
/// clients they name, httpx-sse and sseclient-py from PyPI, against the real binary: they skip the
/// data-less `retry:` block, resume with `Last-Event-ID` through a restart of the server, and report
/// the `stream.truncated` event when they resume past the kept history.
@Suite("Client habits: SSE clients through the binary", .serialized)
struct ClientHabitsSSETests {
    /// Whether httpx-sse (with httpx) can be imported, installed when missing.
    static let hasHTTPXSSE = PythonModules.importable(
        ["httpx", "httpx_sse"], installing: ["httpx", "httpx-sse"])
    /// Whether sseclient-py (with requests) can be imported, installed when missing.
    static let hasSSEClient = PythonModules.importable(
        ["requests", "sseclient"], installing: ["requests", "sseclient-py"])

    /// A driver that imports the README's `follow` from `sse_follow.py`, starts it after `lastID`, prints
    /// each event's sequence (and the snippet's own `missed events` lines), and exits once it has
    /// handled `count` events.
    static func driver(port: Int, lastID: String, count: Int) -> String {
        """
        import sys
        sys.path.insert(0, sys.argv[1])
        import sse_follow

        class Done(Exception):
            pass

        seen = []
        def handle(event):
            seen.append(event["sequence"])
            print("event", event["sequence"], flush=True)
            if len(seen) == \(count):
                raise Done()

        try:
            sse_follow.follow("http://127.0.0.1:\(port)/slo/violations", handle, last_id="\(lastID)")
        except Done:
            print("done", flush=True)
        """
    }

    /// Starts the driver of `example` in the background, with the README snippet pointed at `port`.
    static func startDriver(_ example: String, port: Int, lastID: String, count: Int) throws -> (
        SlowatchProcess, folder: URL
    ) {
        let python = try #require(ExternalTool.path("python3"))
        let folder = try ExternalTool.temporaryFolder("slowatch-sse-client")
        try ReadmeSnippet.writeModule(
            example, as: "sse_follow", in: folder, replacing: [("127.0.0.1:8080", "127.0.0.1:\(port)")])
        let driver = Self.driver(port: port, lastID: lastID, count: count)
        let child = try SlowatchProcess(["-u", "-c", driver, folder.path], executablePath: python)
        return (child, folder)
    }

    /// The sequences the driver printed, in order.
    static func sequences(_ output: String) -> [Int] {
        output.split(separator: "\n").compactMap { line in
            line.hasPrefix("event ") ? Int(line.dropFirst(6)) : nil
        }
    }

    /// Defines SLOs `ids` on `lat` that all violate once a sample of 9 ms arrives, and posts it.
    static func violate(port: Int, _ ids: [String]) throws {
        let client = try CurlClient(timeoutMilliseconds: 10_000)
        for id in ids {
            let put = try client.putJSON(
                "http://127.0.0.1:\(port)/slos/\(id)", #"{"metric":"lat","percentile":"p50","threshold":1}"#)
            #expect(put.status == 201 || put.status == 200, "\(put.bodyText)")
        }
        let posted = try client.postJSON("http://127.0.0.1:\(port)/samples", #"{"metric":"lat","value":9}"#)
        #expect(posted.status == 200, "\(posted.bodyText)")
    }

    @Test(
        "httpx-sse: the README's loop resumes past the kept history, reports stream.truncated, then the rest",
        .enabled(if: hasHTTPXSSE, PythonModules.skipReason(["httpx", "httpx-sse"])))
    func httpxSSEResumePastHistory() throws {
        try resumePastHistory("httpx-sse-follow")
    }

    @Test(
        "sseclient-py: the README's loop resumes past the kept history, reports stream.truncated, then the rest",
        .enabled(if: hasSSEClient, PythonModules.skipReason(["requests", "sseclient-py"])))
    func sseclientResumePastHistory() throws {
        try resumePastHistory("sseclient-follow")
    }

    @Test(
        "httpx-sse: the README's loop reconnects through a server restart with Last-Event-ID, none lost or repeated",
        .enabled(if: hasHTTPXSSE, PythonModules.skipReason(["httpx", "httpx-sse"])))
    func httpxSSEReconnect() throws {
        try reconnectThroughRestart("httpx-sse-follow")
    }

    @Test(
        "sseclient-py: the README's loop reconnects through a server restart with Last-Event-ID, none lost or repeated",
        .enabled(if: hasSSEClient, PythonModules.skipReason(["requests", "sseclient-py"])))
    func sseclientReconnect() throws {
        try reconnectThroughRestart("sseclient-follow")
    }

    /// Five SLOs violate at once with a history of 3 (events 3-5 kept); the loop of `example` resumes
    /// after #1, prints `missed events 2 to 2` (from `stream.truncated`), then handles 3, 4 and 5.
    private func resumePastHistory(_ example: String) throws {
        let (node, port) = try startWithLostEvents()
        defer { node.kill() }
        let (driver, folder) = try Self.startDriver(example, port: port, lastID: "1", count: 3)
        defer {
            driver.kill()
            try? FileManager.default.removeItem(at: folder)
        }
        #expect(driver.waitForExit(timeout: 30) == 0, "\(driver.standardOutput)\n\(driver.standardError)")
        let lines = driver.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "missed events 2 to 2", "\(lines)")
        #expect(Self.sequences(driver.standardOutput) == [3, 4, 5], "\(lines)")
    }

    /// Starts a node keeping 3 events, whose five SLOs `a`…`e` violate once each (#1-#5; #3-#5 held).
    private func startWithLostEvents() throws -> (SlowatchProcess, port: Int) {
        let node = try SlowatchProcess([
            "--port", "0", "--history", "3", "--check-interval", "100ms", "--rate-limit-window", "1h",
        ])
        do {
            let port = try #require(node.boundPort(), "\(node.standardError)")
            try Self.violate(port: port, ["a", "b", "c", "d", "e"])
            let events = try CurlClient().waitForViolations(port: port, count: 5)
            #expect(events == [3, 4, 5], "the history keeps the newest 3 of 5")
            return (node, port)
        } catch {
            node.kill()
            throw error
        }
    }

    @Test(
        "a browser's EventSource (Node's): the README's stream.truncated listener fires before the replay",
        .enabled(if: ExternalTool.isInstalled("node"), ExternalTool.skipReason("node")))
    func eventSourceResumePastHistory() throws {
        let (node, port) = try startWithLostEvents()
        defer { node.kill() }
        var script = try ReadmeSnippet.code("browser-eventsource")
        for (from, to) in [("127.0.0.1:8080", "127.0.0.1:\(port)"), (#"lastSeen = """#, #"lastSeen = "1""#)] {
            #expect(script.contains(from), "the README's snippet has \(from)")
            script = script.replacingOccurrences(of: from, with: to)
        }
        script += "setTimeout(() => stream.close(), 3000);\n"
        let nodePath = try #require(ExternalTool.path("node"))
        let result = try SlowatchProcess.run(
            ["--experimental-eventsource", "--no-warnings", "-e", script], executablePath: nodePath)
        #expect(result.status == 0, "\(result.standardError)")
        // console.warn and console.error write to standard error, in the order the events came.
        let lines = result.standardError.split(separator: "\n").map(String.init)
        #expect(lines == ["missed events 2 to 2", "c", "d", "e"], "\(result.standardError)")
    }

    /// Three SLOs violate on a node with a data directory; the loop of `example` handles #1-#3, the
    /// node stops (SIGTERM) and a new one starts on the same port and directory, whose SLOs violate
    /// again: the loop reconnects with `Last-Event-ID: 3` and handles the three new events.
    private func reconnectThroughRestart(_ example: String) throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let port = try ExternalTool.freeLoopbackPort()
        // No violation is announced again within the hour: every event after #3 is the second node's.
        let arguments = [
            "--port", "\(port)", "--data-dir", directory, "--check-interval", "100ms", "--rate-limit-window",
            "1h",
        ]
        let first = try SlowatchProcess(arguments)
        defer { first.kill() }
        #expect(first.boundPort() == port, "\(first.standardError)")
        try Self.violate(port: port, ["a", "b", "c"])
        #expect(try CurlClient().waitForViolations(port: port, count: 3) == [1, 2, 3])

        // From the start (Last-Event-ID 0), so the three events are replayed; six in all, then it stops.
        let (driver, folder) = try Self.startDriver(example, port: port, lastID: "0", count: 6)
        defer {
            driver.kill()
            try? FileManager.default.removeItem(at: folder)
        }
        #expect(waitFor { Self.sequences(driver.standardOutput).count >= 3 }, "\(driver.standardError)")
        first.send(SIGTERM)
        #expect(first.waitForExit(timeout: 15) == 0, "\(first.standardError)")

        // At debug level the second node logs each stream's resume point.
        let second = try SlowatchProcess(arguments + ["--log-level", "debug"])
        defer { second.kill() }
        #expect(second.boundPort() == port, "\(second.standardError)")
        // The SLOs are restored and judged afresh; a sample makes them violate again.
        let posted = try CurlClient().postJSON(
            "http://127.0.0.1:\(port)/samples", #"{"metric":"lat","value":9}"#)
        #expect(posted.status == 200)
        #expect(driver.waitForExit(timeout: 40) == 0, "\(driver.standardOutput)\n\(driver.standardError)")
        let seen = Self.sequences(driver.standardOutput)
        #expect(seen.count == 6 && Array(seen.prefix(3)) == [1, 2, 3], "\(seen)")
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0 < $1 }, "in order, none repeated: \(seen)")
        #expect(!driver.standardOutput.contains("missed"), "nothing was lost: \(driver.standardOutput)")
        #expect(
            second.standardError.contains("opened (any metric, any SLO, after #3)"),
            "the loop reconnected with Last-Event-ID: 3: \(second.standardError)")
    }

    /// Polls `condition` every 50 ms for up to `timeout` seconds.
    private func waitFor(timeout: Double = 20, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            guard Date() < deadline else { return false }
            usleep(50_000)
        }
        return true
    }
}

extension CurlClient {
    /// Waits up to 10 s until `GET /slo/violations` holds `count` events or more (counting every event
    /// published, through the newest sequence), and returns the sequences it lists.
    func waitForViolations(port: Int, count: Int) throws -> [Int] {
        let deadline = Date().addingTimeInterval(10)
        var sequences: [Int] = []
        repeat {
            let response = try get("http://127.0.0.1:\(port)/slo/violations")
            let list = (try? response.json())?["violations"] as? [[String: Any]] ?? []
            sequences = list.compactMap { $0["sequence"] as? Int }
            if (sequences.last ?? 0) >= count { return sequences }
            usleep(50_000)
        } while Date() < deadline
        return sequences
    }
}
