import Foundation
import TestRawClient
import Testing

/// The hostile-input suite: every case of `Fixtures/hostile/*.cases` (llhttp's request tests and the
/// Http11Probe categories, in our own bytes and with our own answers) over raw sockets against the real
/// `slowatch` binary, in one pass, after which the server must still answer and hold no leaked socket.
///
/// Serialized: each pass runs its own `slowatch` child and ~370 connections, so the two passes take turns
/// rather than compete for the machine's cores (which a sanitizer build on 2 cores makes scarce).
@Suite("Hostile input catalogue", .serialized)
struct HostileInputSuiteTests {
    /// The body limit the child runs with (`--max-body`), in bytes; the 413 cases are written around it.
    static let maxBodyBytes = 1024
    /// A guard against a hung pass, in seconds, not a performance bound: a pass takes a few seconds, and
    /// many times that under `--sanitize=thread` beside other suites.
    static let passBudgetSeconds = 600.0

    @Test("the catalogue holds at least 150 cases with unique names, in every file")
    func catalogueSize() throws {
        let cases = try HostileCatalogue.loadAll()
        #expect(cases.count >= 150, "only \(cases.count) cases")
        let files = Set(cases.map { $0.location.split(separator: ":")[0] })
        #expect(files.count >= 6, "files: \(files.sorted())")
    }

    @Test("every case gets its answer, then the server still serves and its fd count is back to baseline")
    func everyCase() throws {
        try runPass(pieces: 1)
    }

    @Test("every case gets the same answer when its bytes arrive in four pieces, in separate reads")
    func everyCaseInPieces() throws {
        try runPass(pieces: 4)
    }

    /// Runs every case against a fresh `slowatch` child, each cut into `pieces`, and checks the server
    /// afterwards: it answers `/healthz`, its fd count is back to its baseline, and it has not exited.
    private func runPass(pieces: Int) throws {
        let cases = try HostileCatalogue.loadAll()
        let child = try SlowatchProcess(["--port", "0", "--max-body", "\(Self.maxBodyBytes)"])
        defer { child.kill() }
        let port = try #require(child.boundPort(), "startup line: \(child.standardError)")
        try #require(try health(port) == 200)
        let baseline = try #require(
            settledCount(pid: child.pid, atMost: nil), "cannot read /proc/\(child.pid)/fd")

        var runner = HostileCaseRunner(port: port)
        runner.pieces = pieces
        let deadline = Date().addingTimeInterval(Self.passBudgetSeconds)
        var failures: [String] = []
        var ran = 0
        for item in cases {
            guard Date() < deadline else {
                failures.append("the pass ran out of its \(Int(Self.passBudgetSeconds)) s after \(ran) cases")
                break
            }
            if let failure = runner.run(item) { failures.append(failure) }
            ran += 1
        }
        let summary = "\(failures.count) of \(cases.count) cases failed (sent in \(pieces) piece(s))"
        #expect(failures.isEmpty, "\(summary):\n\(failures.joined(separator: "\n"))")

        #expect(try health(port) == 200, "after the pass; log: \(child.standardError.suffix(2000))")
        let after = settledCount(pid: child.pid, atMost: baseline)
        #expect(after.map { $0 <= baseline } == true, "fds: \(baseline) before, \(after ?? -1) after")
        #expect(
            child.waitForExit(timeout: 0) == nil, "the server exited: \(child.standardError.suffix(2000))")
    }

    @Test(
        "a malformed catalogue fails loudly, naming the file, the line and the rule",
        arguments: [
            ("case a\nfrom x\nsend GET\nexpect 200\n", "no \"after"),
            ("case a\nfrom x\nsend GET\nafter open\n", "no \"expect\""),
            ("case a\nsend GET\nexpect 200\nafter open\n", "no \"from\""),
            ("case a\nfrom x\nexpect 200\nafter open\n", "no \"send\""),
            ("from x\n", "before any \"case NAME\""),
            ("case Bad_Name\n", "lowercase letters"),
            ("case a\nfrom x\nsend GET\nexpect 99\nafter open\n", "final statuses"),
            ("case a\nfrom x\nsend GET\nexpect 200\nafter maybe\n", "close or open"),
            ("case a\nfrom x\nsend GET \\q\nexpect 200\nafter open\n", "unknown escape"),
            ("case a\nfrom x\nsend GET \\x4\nexpect 200\nafter open\n", "two hex digits"),
            ("case a\nfrom x\nsend GET \\x+F\nexpect 200\nafter open\n", "two hex digits"),
            ("case a\nfrom x\nsend GET\t/\nexpect 200\nafter open\n", "raw byte 0x9"),
            ("case a\nfrom x\nsend GET \nexpect 200\nafter open\n", "raw space"),
            ("case a\nfrom x\nsend \\{0:a}\nexpect 200\nafter open\n", "repeat"),
            ("case a\nfrom x\nsend GET\nexpect closed\n", "half-close"),
            ("case a\nfrom x\nsend GET\nexpect none\n", "abort"),
            ("case a\nfrom x\nsend GET\nexpect 200\nafter open\nwhatever 1\n", "unknown keyword"),
        ])
    func malformedCatalogue(text: String, rule: String) {
        do {
            let cases = try HostileCatalogue.parse(text, file: "bad.cases")
            Issue.record("parsed \(cases.count) cases from a malformed catalogue: \(text.debugDescription)")
        } catch let error as HostileCatalogueError {
            #expect(error.description.hasPrefix("bad.cases:"), "\(error)")
            #expect(error.description.contains(rule), "\(error)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    /// The error `HostileCatalogue.loadAll` throws for a folder holding `files` (name → text), as text;
    /// nil if it loads.
    static func loadError(_ files: [String: String]) throws -> String? {
        let folder = try ExternalTool.temporaryFolder("hostile")
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, text) in files {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        }
        do {
            _ = try HostileCatalogue.loadAll(from: folder)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test("a name used in two files fails loudly, naming both places")
    func duplicateNames() throws {
        let text = "case same\nfrom x\nsend GET\nexpect 200\nafter open\n"
        let error = try Self.loadError(["a.cases": text, "b.cases": "# second\n" + text])
        #expect(
            error?.contains("b.cases:2") == true && error?.contains("a.cases:1") == true,
            "\(error ?? "loaded")")
    }

    @Test("a catalogue file with no case fails loudly, naming the file")
    func emptyFile() throws {
        let error = try Self.loadError(["empty.cases": "# only a comment\n"])
        #expect(
            error?.contains("empty.cases") == true && error?.contains("no case") == true,
            "\(error ?? "loaded")")
    }

    @Test("the byte notation decodes escapes and repeats exactly")
    func byteNotation() throws {
        #expect(try HostileBytes.decode("A\\r\\n\\t\\\\\\x00\\xFF") == [65, 13, 10, 9, 92, 0, 255])
        #expect(try HostileBytes.decode("\\{3:ab}") == Array("ababab".utf8))
        #expect(try HostileBytes.decode("x\\{2:\\r\\n}y") == Array("x\r\n\r\ny".utf8))
        #expect(try HostileBytes.decode("") == [])
    }

    @Test("every case's bytes are exported as a fuzz seed, and no seed is left over from a removed case")
    func fuzzSeeds() throws {
        let cases = try HostileCatalogue.loadAll()
        let corpus = SlowatchProcess.packageRoot.appendingPathComponent("Fuzz/corpus/http-parser")
        var problems: [String] = []
        for item in cases {
            let path = corpus.appendingPathComponent("hostile-\(item.name)").path
            guard let data = FileManager.default.contents(atPath: path) else {
                problems.append("\(item.name): no seed at \(path)")
                continue
            }
            if Array(data) != item.bytes { problems.append("\(item.name): the seed differs from the case") }
        }
        let names = Set(cases.map { "hostile-\($0.name)" })
        let seeds = (try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []
        for seed in seeds where seed.hasPrefix("hostile-") && !names.contains(seed) {
            problems.append("\(seed): no case has this name")
        }
        #expect(
            problems.isEmpty, "run scripts/export-hostile-corpus.sh:\n\(problems.joined(separator: "\n"))")
    }

    /// The status of `GET /healthz` on a fresh connection.
    private func health(_ port: Int) throws -> Int {
        let client = try RawClient(port: port)
        defer { client.close() }
        try client.send(HostileCaseRunner.probe)
        return try client.readResponse().status
    }

    /// The number of open fds of `pid`, once it stops changing (or once it is at most `limit`), waiting at
    /// most 30 s (a hang guard: it returns as soon as the count settles); nil when `/proc/<pid>/fd`
    /// cannot be read.
    private func settledCount(pid: Int32, atMost limit: Int?) -> Int? {
        let deadline = Date().addingTimeInterval(30)
        var last = fdCount(pid)
        var stableRounds = 0
        while Date() < deadline {
            usleep(50_000)
            let now = fdCount(pid)
            if let limit, let now, now <= limit { return now }
            stableRounds = now == last ? stableRounds + 1 : 0
            last = now
            if limit == nil && stableRounds >= 4 { return now }
        }
        return last
    }

    private func fdCount(_ pid: Int32) -> Int? {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd"))?.count
    }
}
