import Foundation
import TestCurlClient
import Testing

/// The memory budget against the real binary: the issue's repro (a PUT of 10,000,000 samples and one
/// sample, for q1…q60) ends in 422 `memory_limit_reached`, the `/metrics` gauges show the reservation,
/// and the peak resident memory (`VmHWM`) stays within the budget plus 64 MiB; a batch naming 10,000
/// new metrics is refused whole or accepted within the budget.
@Suite(.serialized) struct MemoryBudgetBinaryTests {
    /// The fixed overhead allowed above the budget: the binary, its heap, threads and buffers.
    static let overhead = 64 << 20

    /// The value of the unlabelled gauge `name` in a Prometheus text scrape of `base`.
    static func gauge(_ name: String, at base: String, client: CurlClient) throws -> Int? {
        let text = try client.get(base + "/metrics", headers: [("Accept", "text/plain; version=0.0.4")])
            .bodyText
        let line = text.split(separator: "\n").first { $0.hasPrefix(name + " ") }
        return line.flatMap { Double($0.split(separator: " ")[1]) }.map { Int($0) }
    }

    /// The lines of the "Memory budget" example of docs/operations.md that start with `prefix`: the 422
    /// answer for `q2` at `--memory-limit 1GiB`, and the gauges right after it.
    static func readmeLines(startingWith prefix: String) -> [String] {
        let readme = try? String(
            contentsOf: SlowatchProcess.packageRoot.appendingPathComponent("docs/operations.md"),
            encoding: .utf8)
        return (readme ?? "").split(separator: "\n").filter { $0.hasPrefix(prefix) }.map(String.init)
    }

    /// The `slowatch_memory_*` lines of a Prometheus text scrape of `base`.
    static func memoryGauges(at base: String, client: CurlClient) throws -> [String] {
        let text = try client.get(base + "/metrics", headers: [("Accept", "text/plain")]).bodyText
        return text.split(separator: "\n").filter { $0.hasPrefix("slowatch_memory") }.map(String.init)
    }

    /// Starts the binary with `arguments`, returning it and its base URL.
    static func start(_ arguments: [String]) throws -> (SlowatchProcess, String) {
        let child = try SlowatchProcess(["--port", "0"] + arguments)
        let port = try #require(child.boundPort(), "slowatch did not start: \(child.standardError)")
        return (child, "http://127.0.0.1:\(port)")
    }

    @Test(
        "the repro run 60 times ends in 422s with the reservation in the gauges and RSS within budget",
        arguments: [["--memory-limit", "1GiB"], []])
    func reproEndsIn422s(arguments: [String]) throws {
        let (child, base) = try Self.start(arguments)
        defer { child.kill() }
        let client = try CurlClient(timeoutMilliseconds: 10_000)
        let budget = try #require(try Self.gauge("slowatch_memory_budget_bytes", at: base, client: client))
        #expect(budget <= 2 << 30)
        if !arguments.isEmpty { #expect(budget == 1 << 30) }
        var statuses: [Int] = []
        var answers: [String] = []
        for index in 1...60 {
            let put = try client.request(
                method: "PUT", url: base + "/metrics/q\(index)", body: Array(#"{"capacity":10000000}"#.utf8),
                headers: [("Content-Type", "application/json")])
            statuses.append(put.status)
            if put.status == 422 {
                answers.append(put.bodyText)
                if answers.count == 1 && !arguments.isEmpty {
                    #expect(
                        try Self.memoryGauges(at: base, client: client)
                            == Self.readmeLines(startingWith: "slowatch_memory"))
                }
            }
            let sample = try client.postJSON(base + "/samples", "{\"metric\":\"q\(index)\",\"value\":1}")
            // A refused PUT leaves the name free, so the sample auto-registers it at the default
            // capacity: that fits while the budget has room for it and is refused the same way after.
            #expect(
                sample.status == 200
                    || (sample.status == 422 && sample.bodyText.contains("memory_limit_reached")),
                "\(sample.status) \(sample.bodyText)")
        }
        let admitted = statuses.prefix { $0 == 201 }.count
        #expect(admitted >= 1)
        #expect(statuses.dropFirst(admitted).allSatisfy { $0 == 422 }, "\(statuses)")
        #expect(statuses.last == 422)
        #expect(answers.first?.contains("memory_limit_reached") == true)
        #expect(answers.first?.contains("--memory-limit") == true)
        if !arguments.isEmpty {
            // Half of 1 GiB is the histories', 64 MiB the streams': one such metric fits, not two.
            #expect(admitted == 1)
            let readme = Self.readmeLines(startingWith: #"{"error":{"code":"memory_limit_reached""#)
            #expect(answers.first.map { [$0] } == readme, "the example answer of docs/operations.md differs")
        }
        let reserved = try #require(
            try Self.gauge("slowatch_memory_reserved_bytes", at: base, client: client))
        #expect(reserved >= admitted * 160_000_000)
        #expect(reserved <= budget)
        let peak = try #require(ProcessMemory.peakResidentBytes(child.processIdentifier))
        #expect(
            !ProcessMemory.boundsApply || peak <= budget + Self.overhead,
            "peak RSS \(peak) for a budget of \(budget)")
    }

    @Test(
        "a batch naming 10,000 new metrics is refused whole, or accepted within the budget",
        arguments: [("1000", true), ("10000", false)])
    func batchOfNewMetrics(capacity: String, fits: Bool) throws {
        let (child, base) = try Self.start(["--memory-limit", "512MiB", "--capacity", capacity])
        defer { child.kill() }
        let client = try CurlClient(timeoutMilliseconds: 10_000)
        let body = CardinalityTests.batch("new", from: 0, count: 10_000)
        let response = try client.postJSON(base + "/samples", body)
        let count = try #require(try Self.gauge("slowatch_metrics", at: base, client: client))
        if fits {
            #expect(response.status == 200, "\(response.bodyText)")
            #expect(count == 10_000)
        } else {
            #expect(response.status == 422)
            #expect(response.errorCode == "memory_limit_reached")
            #expect(response.errorMessage?.contains("batch of 10000 new metrics") == true)
            #expect(count == 0)
        }
        let peak = try #require(ProcessMemory.peakResidentBytes(child.processIdentifier))
        #expect(!ProcessMemory.boundsApply || peak <= (512 << 20) + Self.overhead, "peak RSS \(peak)")
    }
}
