import SLOWatchCore
import Testing
import Yams

@testable import SLOWatchService

/// `slowatch rules`'s generator (``PrometheusRules``), on configurations read by the real config parser:
/// the windows, thresholds and labels of each tier are those slowatch evaluates, the text is stable, and
/// Timeslices SLOs are named and left out. `promtool` checks the same output in the integration tests.
@Suite("Prometheus rules")
struct PrometheusRulesTests {
    /// A configuration with an Occurrences SLO (default tiers), one with its own tiers and a 7-day
    /// period, a Timeslices SLO, one with `alerts: []` and a plain percentile SLO.
    static let config = """
        slos:
          - {id: api, metric: checkout.latency, percentile: p99, threshold: 250, objective: 99.9}
          - id: search-week
            metric: search.latency
            percentile: p95
            threshold: 80
            objective: 99
            period: 7d
            alerts:
              - {tier: page, burnRate: 10, longWindow: 1h, shortWindow: 5m, severity: critical}
              - {tier: ticket, burnRate: 2, longWindow: 1d, shortWindow: 2h, severity: warning}
          - {id: echo-slices, metric: input-to-echo, percentile: p95, threshold: 60, objective: 99,
             budgetingMethod: Timeslices, slice: 5m, period: 7d}
          - {id: quiet, metric: m, percentile: p99, threshold: 1, objective: 99, alerts: []}
          - {id: plain, metric: m, percentile: p95, threshold: 10}
        """

    static func render() throws -> String {
        let file = try ConfigFile.parse(config, path: "fleet.yaml")
        let slos = try #require(file.slos).map(\.definition)
        return PrometheusRules.render(slos: slos, source: "fleet.yaml", version: "9.9.9")
    }

    /// The parsed rule file's groups.
    static func groups(_ text: String) throws -> [[String: Any]] {
        let root = try #require(try Yams.load(yaml: text) as? [String: Any])
        return try #require(root["groups"] as? [[String: Any]])
    }

    @Test func eachOccurrencesSLOWithTiersGetsOneGroupInConfigurationOrder() throws {
        let groups = try Self.groups(try Self.render())
        #expect(
            groups.compactMap { $0["name"] as? String } == ["slowatch-slo-api", "slowatch-slo-search-week"])
    }

    @Test func theDefaultTiersAlertWithTheWorkbookWindowsRatesAndSeverities() throws {
        let rules = try #require(try Self.groups(try Self.render()).first?["rules"] as? [[String: Any]])
        let records = rules.compactMap { $0["record"] as? String }
        #expect(
            records
                == ["5m", "30m", "1h", "2h", "6h", "1d", "3d"].map { "slo:slowatch_error_ratio:rate\($0)" })
        let alerts = rules.filter { $0["alert"] as? String == "SLOBurnRate" }
        #expect(alerts.count == 4)
        let labels = alerts.compactMap { $0["labels"] as? [String: String] }
        #expect(labels.map { $0["tier"] } == ["page-fast", "page-slow", "ticket-fast", "ticket-slow"])
        #expect(labels.map { $0["severity"] } == ["critical", "critical", "warning", "warning"])
        #expect(labels.allSatisfy { $0["metric"] == "checkout.latency" && $0["scope"] == "fleet" })
        #expect(labels.allSatisfy { Set($0.keys) == ["metric", "tier", "severity", "scope"] })
        let pageFast = try #require(alerts.first?["expr"] as? String)
        #expect(
            pageFast == """
                slo:slowatch_error_ratio:rate1h{slo="api"} > (14.4 * 0.001)
                and
                slo:slowatch_error_ratio:rate5m{slo="api"} > (14.4 * 0.001)

                """)
        let ticketSlow = try #require(alerts.last?["expr"] as? String)
        #expect(ticketSlow.contains("rate3d{slo=\"api\"} > (1 * 0.001)"))
        #expect(ticketSlow.contains("rate6h{slo=\"api\"} > (1 * 0.001)"))
        let fiveMinutes = try #require(rules.first?["expr"] as? String)
        #expect(
            fiveMinutes == """
                sum by (slo) (rate(slowatch_slo_events_total{slo="api",result="bad"}[5m]))
                /
                sum by (slo) (rate(slowatch_slo_events_total{slo="api"}[5m]))

                """)
        #expect(rules.first?["labels"] as? [String: String] == ["slo": "api"])
    }

    @Test func configuredTiersKeepTheirOwnWindowsAndTheObjectiveSetsTheThreshold() throws {
        let rules = try #require(try Self.groups(try Self.render()).last?["rules"] as? [[String: Any]])
        #expect(
            rules.compactMap { $0["record"] as? String }
                == ["5m", "1h", "2h", "1d"].map { "slo:slowatch_error_ratio:rate\($0)" })
        let exprs = rules.filter { $0["alert"] != nil }.compactMap { $0["expr"] as? String }
        #expect(exprs.first?.contains("rate1h{slo=\"search-week\"} > (10 * 0.01)") == true)
        #expect(exprs.last?.contains("rate2h{slo=\"search-week\"} > (2 * 0.01)") == true)
    }

    @Test func timeslicesAndTierlessSLOsAreNamedInACommentAndLeftOut() throws {
        let text = try Self.render()
        #expect(text.contains("# Left out, budgetingMethod Timeslices: echo-slices."))
        #expect(text.contains("# Without alert tiers (alerts: []), so without rules: quiet."))
        #expect(!text.contains("slo=\"echo-slices\"") && !text.contains("slo=\"plain\""))
    }

    @Test func theHeaderNamesTheVersionAndSourceAndTheOutputIsStable() throws {
        let text = try Self.render()
        #expect(
            text.hasPrefix("# Prometheus rules for slowatch's error-budget SLOs, generated by slowatch 9.9.9")
        )
        #expect(text.contains("`slowatch rules` from fleet.yaml."))
        #expect(try Self.render() == text)
    }

    @Test func withoutBudgetSLOsTheFileHasNoGroups() throws {
        let slo = try SLODefinition(id: "p", metric: "m", percentile: "p95", threshold: 1)
        let text = PrometheusRules.render(slos: [slo], source: "embedded defaults", version: "1")
        #expect(try Self.groups(text).isEmpty)
    }

    @Test func scaledWindowsAreWrittenAsExactPrometheusDurations() {
        #expect(PrometheusRules.duration(milliseconds: 70_000) == "1m10s")
        #expect(PrometheusRules.duration(milliseconds: 259_200_000) == "3d")
        #expect(PrometheusRules.duration(milliseconds: 5_400_250) == "1h30m250ms")
        #expect(PrometheusRules.duration(milliseconds: 1) == "1ms")
        #expect(PrometheusRules.number(6) == "6" && PrometheusRules.number(14.4) == "14.4")
    }

    @Test func stringsAreEscapedForPromQLAndYAML() {
        #expect(PrometheusRules.promQLString(#"a"b\c"#) == #""a\"b\\c""#)
        #expect(PrometheusRules.yamlString("a\"b\n") == #""a\"b\n""#)
    }
}
