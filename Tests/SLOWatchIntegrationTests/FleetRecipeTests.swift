import Foundation
import Testing
import Yams

/// The fleet recipe (`docker/compose.fleet.yaml` and `docker/fleet/`) and the README's `slowatch rules`
/// example, through the real binary and the real tools, without a Docker engine: the committed rules are
/// what `slowatch rules` gives for the fleet's configuration, the compose file parses, and promtool and
/// amtool accept the Prometheus and Alertmanager files. The tools are required in CI (`CI=true`).
@Suite("Fleet recipe")
struct FleetRecipeTests {
    /// Whether a test that needs `tool` runs: it is installed, or this is CI, where its absence fails.
    static func runs(_ tool: String) -> Bool {
        ExternalTool.isInstalled(tool) || ProcessInfo.processInfo.environment["CI"] == "true"
    }

    /// `docker/<name>` in the package.
    static func file(_ name: String) -> URL {
        SlowatchProcess.packageRoot.appendingPathComponent("docker").appendingPathComponent(name)
    }

    /// Runs `tool arguments…` from the package root; expects exit 0 and returns the output.
    @discardableResult
    static func expectSuccess(_ tool: String, _ arguments: [String]) throws -> String {
        let path = try #require(
            tool.hasPrefix("/") ? tool : ExternalTool.path(tool), "\(tool) is required in CI")
        let result = try SlowatchProcess.run(
            ["-c", #"cd "$0" && exec "$@""#, SlowatchProcess.packageRoot.path, path] + arguments,
            executablePath: "/bin/sh", timeout: 60)
        let output = result.standardOutput + result.standardError
        #expect(result.status == 0, "\(tool) \(arguments.joined(separator: " ")): \(output)")
        return output
    }

    @Test func theCommittedRulesAreWhatSlowatchRulesGivesForTheFleetConfiguration() throws {
        // Run from the package root with the relative path, as the comment in slowatch.yaml says, so
        // the header names the same file.
        let output = try Self.expectSuccess(
            SlowatchProcess.binaryPath, ["rules", "--config", "docker/fleet/slowatch.yaml"])
        let committed = try String(contentsOf: Self.file("fleet/rules.yml"), encoding: .utf8)
        #expect(output == committed, "regenerate docker/fleet/rules.yml as docker/fleet/slowatch.yaml says")
        #expect(committed.contains("Timeslices: echo-slices."))
    }

    @Test func everyNodeAcceptsTheFleetConfiguration() throws {
        let output = try Self.expectSuccess(
            SlowatchProcess.binaryPath, ["check-config", "docker/fleet/slowatch.yaml"])
        #expect(output.contains("valid"))
    }

    @Test(.enabled(if: runs("promtool"), ExternalTool.skipReason("promtool")))
    func promtoolAcceptsTheFleetPrometheusConfigurationAndRules() throws {
        let output = try Self.expectSuccess(
            "promtool", ["check", "config", Self.file("fleet/prometheus.yml").path])
        #expect(output.contains("SUCCESS: 17 rules found"), "\(output)")
    }

    @Test(.enabled(if: runs("amtool"), ExternalTool.skipReason("amtool")))
    func amtoolAcceptsTheFleetAlertmanagerConfiguration() throws {
        try Self.expectSuccess("amtool", ["check-config", Self.file("fleet/alertmanager.yml").path])
    }

    @Test(.enabled(if: runs("docker-compose"), ExternalTool.skipReason("docker-compose")))
    func dockerComposeParsesTheFleetFile() throws {
        try Self.expectSuccess(
            "docker-compose", ["-f", Self.file("compose.fleet.yaml").path, "config", "-q"])
    }

    @Test func theFleetRunsThreeNodesAndPrometheusWithNativeHistogramsAndTheRules() throws {
        let text = try String(contentsOf: Self.file("compose.fleet.yaml"), encoding: .utf8)
        let compose = try #require(try Yams.load(yaml: text) as? [String: Any])
        let services = try #require(compose["services"] as? [String: Any])
        #expect(
            Set(services.keys) == ["slowatch-1", "slowatch-2", "slowatch-3", "prometheus", "alertmanager"])
        let prometheus = try #require(services["prometheus"] as? [String: Any])
        #expect((prometheus["command"] as? [String])?.contains("--enable-feature=native-histograms") == true)
        #expect((prometheus["volumes"] as? [String])?.contains { $0.hasPrefix("./fleet/rules.yml:") } == true)
        let config = try String(contentsOf: Self.file("fleet/prometheus.yml"), encoding: .utf8)
        for node in 1...3 { #expect(config.contains("slowatch-\(node):8080")) }
    }

    @Test(.enabled(if: runs("promtool"), ExternalTool.skipReason("promtool")))
    func theReadmeRulesExampleIsWhatSlowatchRulesPrints() throws {
        let folder = try ExternalTool.temporaryFolder("slowatch-rules-readme")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("slowatch.yaml")
        try Data(try ReadmeSnippet.code("rules-config").utf8).write(to: config)
        let rules = folder.appendingPathComponent("rules.yml")
        let result = try SlowatchProcess.run(["rules", "--config", config.path, "--output", rules.path])
        #expect(result.status == 0, "slowatch rules: \(result.standardError)")
        let text = try String(contentsOf: rules, encoding: .utf8)
        let body = text.split(separator: "\n", omittingEmptySubsequences: false).drop { $0.hasPrefix("#") }
        #expect(body.joined(separator: "\n") == (try ReadmeSnippet.code("rules-output")))
        #expect(text.contains("# Prometheus rules for slowatch's error-budget SLOs, generated by slowatch "))
        try Self.expectSuccess("promtool", ["check", "rules", rules.path])
    }

    @Test func anUnwritableOutputExits73NamingTheFile() throws {
        let result = try SlowatchProcess.run(["rules", "--output", "/nonexistent-folder/rules.yml"])
        #expect(result.status == 73)
        #expect(result.standardError.contains("Cannot write the rules to /nonexistent-folder/rules.yml"))
    }

    @Test func anInvalidConfigurationExits78NamingTheFile() throws {
        let folder = try ExternalTool.temporaryFolder("slowatch-rules-invalid")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("bad.yaml")
        try Data("slos:\n  - {id: a, metric: m, percentile: p99, threshold: 1, objective: 100}\n".utf8)
            .write(to: config)
        let result = try SlowatchProcess.run(["rules", "--config", config.path])
        #expect(result.status == 78)
        #expect(result.standardError.contains("bad.yaml:2") && result.standardError.contains("objective"))
        #expect(result.standardOutput.isEmpty)
    }
}
