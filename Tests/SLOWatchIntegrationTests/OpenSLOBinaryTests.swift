import Foundation
import TestCurlClient
import Testing

/// OpenSLO through the real binary: `check-config` shows the translation, `serve --config` runs the
/// SLO, and `export-openslo` writes it back, stably; the README's worked example is what runs.
@Suite("OpenSLO through the binary")
struct OpenSLOBinaryTests {
    /// The README's example configuration, written as `slowatch.yaml` in a fresh folder; returns its path.
    private func readmeConfiguration() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "slowatch-openslo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("slowatch.yaml").path
        try ReadmeSnippet.code("openslo-config").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("check-config prints the README's translation of its OpenSLO document")
    func checkConfig() throws {
        let path = try readmeConfiguration()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let result = try SlowatchProcess.run(["check-config", path])
        #expect(result.status == 0, "\(result.standardError)")
        let expected = try ReadmeSnippet.code("openslo-check-config")
            .replacingOccurrences(of: "from slowatch.yaml", with: "from \(path)")
        #expect(result.standardOutput.contains(expected), "\(result.standardOutput)")
    }

    @Test("export-openslo prints the README's export, and exporting that export gives the same bytes")
    func exportRoundTrip() throws {
        let path = try readmeConfiguration()
        let folder = (path as NSString).deletingLastPathComponent
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try SlowatchProcess.run(["export-openslo", "--config", path])
        #expect(first.status == 0 && first.standardError.isEmpty, "\(first.standardError)")
        #expect(first.standardOutput == (try ReadmeSnippet.code("openslo-export")))
        let exported = folder + "/exported.yaml"
        try first.standardOutput.write(toFile: exported, atomically: true, encoding: .utf8)
        let second = try SlowatchProcess.run(["export-openslo", "--config", exported])
        #expect(second.status == 0 && second.standardOutput == first.standardOutput)
    }

    @Test("export-openslo without a configuration notes each embedded SLO it leaves out, and exits 0")
    func exportDefaults() throws {
        let result = try SlowatchProcess.run(["export-openslo"])
        #expect(result.status == 0 && result.standardOutput.isEmpty)
        #expect(
            result.standardError.contains(
                "note: The SLO \"input-to-echo-p95\" is not exported: it has no objective"))
    }

    @Test("a specification example outside the subset exits 78 with file:line: and the reason")
    func refusedExample() throws {
        let path = SlowatchProcess.packageRoot.appendingPathComponent(
            "Tests/SLOWatchIntegrationTests/Fixtures/openslo/occurences-slo.yaml"
        ).path
        for arguments in [["check-config", path], ["export-openslo", "--config", path]] {
            let result = try SlowatchProcess.run(arguments)
            #expect(result.status == 78, "\(arguments)")
            #expect(
                result.standardError.hasPrefix("\(path):26: spec.objectives[0].op: lt is not supported"),
                "\(result.standardError)")
        }
    }

    @Test("serve --config with examples/openslo.yaml runs both SLOs: GET /slos/{id} shows each budget")
    func serve() throws {
        let path = SlowatchProcess.packageRoot.appendingPathComponent("examples/openslo.yaml").path
        let child = try SlowatchProcess(["serve", "--config", path, "--port", "0"])
        defer { child.kill() }
        let port = try #require(child.boundPort(), "startup line: \(child.standardError)")
        #expect(child.standardError.contains("with 2 SLOs from \(path)"), "\(child.standardError)")
        let client = try CurlClient()
        let checkout = try client.get("http://127.0.0.1:\(port)/slos/checkout-latency")
        #expect(checkout.status == 200)
        #expect(
            checkout.bodyText.hasPrefix(
                #"{"id":"checkout-latency","metric":"checkout.latency","percentile":"p99.9","threshold":250,"#
                    + #""unit":"ms","direction":"above","window":null,"minSamples":1,"severity":"warning","#
                    + #""objective":99.9,"budgetingMethod":"Occurrences","period":"28d","status":"#),
            "\(checkout.bodyText)")
        let slices = try client.get("http://127.0.0.1:\(port)/slos/echo-slices")
        #expect(
            slices.bodyText.contains(
                #""minSamples":10,"severity":"warning","objective":99,"budgetingMethod":"Timeslices","#
                    + #""period":"7d","slice":"5m","status":"#), "\(slices.bodyText)")
    }

    @Test("export-openslo --slos exports a running server's SLOs, those added by PUT included")
    func exportRunningServer() throws {
        let child = try SlowatchProcess(["serve", "--port", "0"])
        defer { child.kill() }
        let port = try #require(child.boundPort(), "startup line: \(child.standardError)")
        let client = try CurlClient()
        let body =
            #"{"metric":"checkout.latency","percentile":"p99.9","threshold":250,"objective":99.9,"period":"28d"}"#
        #expect(try client.putJSON("http://127.0.0.1:\(port)/slos/checkout-latency", body).status == 201)
        let list = try client.get("http://127.0.0.1:\(port)/slos")
        let path = try TemporaryFile.create(list.bodyText, prefix: "slowatch-slos", suffix: ".json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try SlowatchProcess.run(["export-openslo", "--slos", path])
        #expect(result.status == 0)
        #expect(
            result.standardOutput == (try ReadmeSnippet.code("openslo-export")), "\(result.standardOutput)")
        #expect(result.standardError.contains("note: The SLO \"input-to-echo-p95\" is not exported"))
        let both = try SlowatchProcess.run(["export-openslo", "--slos", path, "--config", path])
        #expect(both.status == 64 && both.standardError.contains("Give --config or --slos, not both"))
        let bad = try SlowatchProcess.run(["export-openslo", "--slos", "/nonexistent/slos.json"])
        #expect(bad.status == 65 && bad.standardError.hasPrefix("/nonexistent/slos.json: Cannot read"))
    }
}
