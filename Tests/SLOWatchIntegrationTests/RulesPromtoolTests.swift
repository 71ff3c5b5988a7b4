import Foundation
import Testing
import Yams

/// `slowatch rules` through the real binary, checked by the real `promtool`: the output passes
/// `promtool check rules`, and `promtool test rules` shows Prometheus firing and resolving each tier at
/// the same minutes as slowatch's own evaluation of the same traffic (``RulesBurnScenario``), the
/// counters split over two nodes. promtool is required in CI (`CI=true`); elsewhere the tests are
/// skipped without it.
@Suite("slowatch rules and promtool")
struct RulesPromtoolTests {
    /// Whether the promtool tests run: promtool is installed, or this is CI, where its absence fails.
    static let runs =
        ExternalTool.isInstalled("promtool") || ProcessInfo.processInfo.environment["CI"] == "true"

    /// Runs `slowatch rules --config <config>` and returns its standard output, expecting exit 0.
    static func rules(config: String, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("slowatch.yaml").path
        try Data(config.utf8).write(to: URL(fileURLWithPath: path))
        let result = try SlowatchProcess.run(["rules", "--config", path])
        #expect(result.status == 0, "slowatch rules: \(result.standardError)")
        return result.standardOutput
    }

    /// Runs promtool with `arguments` in `folder`, expecting exit 0; returns its output.
    @discardableResult
    static func promtool(_ arguments: [String], in folder: URL, timeout: Double = 300) throws -> String {
        let promtool = try #require(ExternalTool.path("promtool"), "promtool is required in CI")
        let result = try SlowatchProcess.run(
            ["-c", #"cd "$0" && exec "$@""#, folder.path, promtool] + arguments, executablePath: "/bin/sh",
            timeout: timeout)
        let output = result.standardOutput + result.standardError
        #expect(result.status == 0, "promtool \(arguments.joined(separator: " ")): \(output)")
        return output
    }

    @Test(.enabled(if: runs, ExternalTool.skipReason("promtool")))
    func theOutputPassesPromtoolCheckRules() throws {
        let folder = try ExternalTool.temporaryFolder("slowatch-rules")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = """
            slos:
              - {id: checkout, metric: checkout.latency, percentile: p99, threshold: 250, objective: 99.9}
              - {id: week, metric: m, percentile: p95, threshold: 80, objective: 99.5, period: 7d}
              - {id: slices, metric: m, percentile: p95, threshold: 60, objective: 99,
                 budgetingMethod: Timeslices, slice: 1m}
            """
        let text = try Self.rules(config: config, in: folder)
        #expect(text.contains("slowatch-slo-checkout") && text.contains("slowatch-slo-week"))
        #expect(text.contains("Timeslices: slices."))
        try Data(text.utf8).write(to: folder.appendingPathComponent("rules.yml"))
        let output = try Self.promtool(["check", "rules", "rules.yml"], in: folder)
        #expect(output.contains("SUCCESS: 22 rules found"), "\(output)")
    }

    @Test(.enabled(if: runs, ExternalTool.skipReason("promtool")))
    func prometheusFiresAndResolvesEachTierAtTheMinutesSlowatchDoes() throws {
        // 50 minutes with every sample bad, then good traffic until the 6h window has cleared.
        let scenario = try RulesBurnScenario()
        try scenario.run(minutes: 50) { _ in RulesBurnScenario.volume }
        try scenario.run(minutes: 420) { _ in 0 }
        // slowatch's own evaluation fired and resolved every tier.
        let tiers = ["page-fast", "page-slow", "ticket-fast", "ticket-slow"]
        for tier in tiers {
            #expect(scenario.firing.contains { $0.contains(tier) }, "\(tier) never fired in slowatch")
        }
        #expect(scenario.firing.last == [], "every tier resolved in slowatch: \(scenario.firing.last ?? [])")
        // By hand (k bad minutes of 100 samples burn at 100k / window minutes; minute m is the check
        // after m + 1 minutes): 1h passes 14.4 at k = 9, 6h passes 6 at 22, 1d passes 3 and 3d passes 1
        // at 44 (the short windows are full of bad minutes then). A short window of w minutes holds
        // 49 − (m − w) bad minutes; 5m clears at 54, 30m drops to 1 (≤ 6) at 78, 2h to 3 (≤ 3) at 166,
        // 6h to 3 (≤ 1) at 406.
        #expect(
            scenario.transitions == [
                "8: alert page-fast", "21: alert page-slow", "43: alert ticket-fast", "43: alert ticket-slow",
                "54: resolved page-fast", "78: resolved page-slow", "166: resolved ticket-fast",
                "406: resolved ticket-slow",
            ])
        let folder = try ExternalTool.temporaryFolder("slowatch-rules-test")
        defer { try? FileManager.default.removeItem(at: folder) }
        let rules = try Self.rules(config: RulesBurnScenario.configuration, in: folder)
        try Data(rules.utf8).write(to: folder.appendingPathComponent("rules.yml"))
        let test = try Self.unitTest(scenario, rules: rules)
        try test.write(to: folder.appendingPathComponent("test.json"))
        try Self.promtool(["test", "rules", "test.json"], in: folder)
    }

    /// The `promtool test rules` file: the counters of both nodes and, for every checked minute, the
    /// alerts slowatch had firing after its check then (labels and annotations as the rules give them).
    static func unitTest(_ scenario: RulesBurnScenario, rules: String) throws -> Data {
        let root = try #require(try Yams.load(yaml: rules) as? [String: Any])
        let group = try #require((root["groups"] as? [[String: Any]])?.first?["rules"] as? [[String: Any]])
        var alertsByTier: [String: [String: Any]] = [:]
        for rule in group where rule["alert"] != nil {
            let labels = try #require(rule["labels"] as? [String: String])
            let tier = try #require(labels["tier"])
            alertsByTier[tier] = [
                "exp_labels": labels.merging(["slo": "api"]) { $1 },
                "exp_annotations": try #require(rule["annotations"] as? [String: String]),
            ]
        }
        var series: [[String: String]] = []
        for node in 0..<2 {
            for bad in [false, true] {
                series.append([
                    "series": "slowatch_slo_events_total{slo=\"api\",result=\"\(bad ? "bad" : "good")\","
                        + "instance=\"node-\(node):8080\",job=\"slowatch\"}",
                    "values": RulesBurnScenario.seriesNotation(scenario.counter(node: node, bad: bad)),
                ])
            }
        }
        var checks: [[String: Any]] = []
        for (minute, firing) in scenario.firing.enumerated() {
            checks.append([
                "eval_time": "\(scenario.prefillMinutes + minute + 1)m", "alertname": "SLOBurnRate",
                "exp_alerts": try firing.map { try #require(alertsByTier[$0]) },
            ])
        }
        let test: [String: Any] = [
            "rule_files": ["rules.yml"], "evaluation_interval": "1m",
            "tests": [["interval": "1m", "input_series": series, "alert_rule_test": checks]],
        ]
        return try JSONSerialization.data(withJSONObject: test, options: [.sortedKeys])
    }
}
