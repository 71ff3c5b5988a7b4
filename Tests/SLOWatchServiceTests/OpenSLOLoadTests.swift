import SLOWatchCore
import Testing

@testable import SLOWatchService

/// OpenSLO v1 `kind: SLO` documents in a configuration file: the slowatch SLO each becomes, and where and
/// why a document outside the subset slowatch runs is refused.
@Suite("OpenSLO documents in a configuration file")
struct OpenSLOLoadTests {
    /// An OpenSLO SLO with the given `objective` lines (indented as list-item fields) and method.
    static func document(
        name: String = "checkout", method: String = "Occurrences", objective: String, window: String = "28d",
        annotations: String = ""
    ) -> String {
        """
        apiVersion: openslo/v1
        kind: SLO
        metadata:
          name: \(name)
        \(annotations)spec:
          service: shop
          indicator:
            metadata:
              name: checkout-latency
            spec:
              thresholdMetric:
                metricSource:
                  type: slowatch
                  spec:
                    query: checkout.latency
          timeWindow:
            - duration: \(window)
              isRolling: true
          budgetingMethod: \(method)
          objectives:
        \(objective)
        """
    }

    /// Parses `text` as `test.yaml`, expecting it to be invalid; returns the error.
    private func failure(_ text: String) -> ConfigError? {
        do {
            _ = try ConfigFile.parse(text, path: "test.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test("Occurrences with op lte: direction above, target as the objective exactly, the window as period")
    func occurrences() throws {
        let file = try ConfigFile.parse(
            Self.document(objective: "    - op: lte\n      value: 250\n      target: 0.999"), path: "t.yaml")
        let slo = try #require(file.slos?.first)
        #expect(slo.line == 1 && slo.isOpenSLO)
        let expected = try SLODefinition(
            id: "checkout", metric: "checkout.latency", percentile: "p99.9", threshold: 250,
            budget: SLOBudget(
                slo: "checkout", objective: 99.9, method: .occurrences, periodMilliseconds: 28 * 86_400_000))
        #expect(slo.definition == expected)
    }

    @Test("op gte is direction below; targetPercent is the objective as written; 2w is 14 days")
    func greaterThanOrEqual() throws {
        let file = try ConfigFile.parse(
            Self.document(
                objective: "    - op: gte\n      value: 55\n      targetPercent: 99.5", window: "2w"),
            path: "t.yaml")
        let definition = try #require(file.slos?.first?.definition)
        #expect(definition.direction == .below && definition.threshold == 55)
        #expect(
            definition.budget?.objective == 99.5 && definition.budget?.periodMilliseconds == 1_209_600_000)
        #expect(definition.percentile.text == "p99.5")
    }

    @Test(
        "Timeslices: timeSliceTarget is the slice's percentile, timeSliceWindow the slice (a number is minutes)"
    )
    func timeslices() throws {
        for window in ["5m", "5"] {
            let file = try ConfigFile.parse(
                Self.document(
                    method: "Timeslices",
                    objective: "    - op: lte\n      value: 60\n      target: 0.99\n"
                        + "      timeSliceTarget: 0.95\n      timeSliceWindow: \(window)"), path: "t.yaml")
            let definition = try #require(file.slos?.first?.definition)
            #expect(definition.percentile.text == "p95" && definition.budget?.method == .timeslices)
            #expect(definition.budget?.sliceMilliseconds == 300_000 && definition.budget?.objective == 99)
        }
    }

    @Test("slowatch.dev annotations set the fields OpenSLO has no place for")
    func annotations() throws {
        let annotations =
            "  annotations:\n    slowatch.dev/percentile: p99\n    slowatch.dev/unit: s\n"
            + "    slowatch.dev/window: 5m\n    slowatch.dev/min-samples: \"20\"\n"
            + "    slowatch.dev/severity: critical\n    example.com/owner: team-a\n"
        let file = try ConfigFile.parse(
            Self.document(
                objective: "    - op: lte\n      value: 0.25\n      target: 0.9995", annotations: annotations),
            path: "t.yaml")
        let definition = try #require(file.slos?.first?.definition)
        #expect(definition.percentile.text == "p99" && definition.unit == "s")
        #expect(definition.windowMilliseconds == 300_000 && definition.minSamples == 20)
        #expect(definition.severity == "critical" && definition.budget?.objective == 99.95)
    }

    @Test("a stream mixes one settings document, OpenSLO documents and a list of them, in order")
    func stream() throws {
        let objective = "    - op: lte\n      value: 250\n      target: 0.99"
        let list =
            "- "
            + Self.document(name: "c", objective: objective)
            .split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n  ")
        let text =
            "port: 9099\nslos:\n  - {id: native, metric: m, percentile: p99, threshold: 1}\n---\n"
            + Self.document(name: "b", objective: objective) + "\n---\n" + list + "\n"
        let file = try ConfigFile.parse(text, path: "t.yaml")
        #expect(file.slos?.map(\.definition.id) == ["native", "b", "c"])
        #expect(file.slos?.map(\.isOpenSLO) == [false, true, true])
        #expect(file.slos?.map(\.line) == [3, 5, 29])
        #expect(file.settings[.port]?.line == 1)
    }

    @Test(
        "a document outside the subset is refused at the line of the field, naming it and why",
        arguments: [
            (
                "    - op: lt\n      value: 250\n      target: 0.99", "Occurrences", 21,
                "spec.objectives[0].op: lt is not supported"
            ),
            (
                "    - op: gt\n      value: 250\n      target: 0.99", "Occurrences", 21,
                "only lte (good at or below value)"
            ),
            (
                "    - op: lte\n      value: 250\n      target: 0.99", "RatioTimeslices", 19,
                "RatioTimeslices averages ratios"
            ),
            (
                "    - op: lte\n      value: 250\n      target: 0.99\n    - op: lte\n      value: 500\n      target: 0.9",
                "Occurrences", 20, "holds 2 objectives"
            ),
            (
                "    - op: lte\n      value: 250\n      target: 1.5", "Occurrences", 23,
                "greater than 0 and less than 1"
            ),
            ("    - op: lte\n      value: 250", "Occurrences", 21, "needs target (0.999) or targetPercent"),
            (
                "    - op: gte\n      value: 30\n      target: 0.99\n      timeSliceTarget: 0.9\n      timeSliceWindow: 1m",
                "Timeslices", 21, "gte is supported with Occurrences only"
            ),
            (
                "    - op: lte\n      value: 30\n      target: 0.99\n      timeSliceTarget: 0.9995\n      timeSliceWindow: 1m",
                "Timeslices", 24, "at most three decimals"
            ),
            (
                "    - op: lte\n      value: 30\n      target: 0.99\n      timeSliceWindow: 1m",
                "Occurrences", 24, "applies only to budgetingMethod Timeslices"
            ),
            (
                "    - op: lte\n      value: 30\n      target: 0.99\n      indicatorRef: other",
                "Occurrences", 24, "composite SLOs are not supported"
            ),
        ])
    func refusedObjective(objective: String, method: String, line: Int, message: String) throws {
        let error = try #require(failure(Self.document(method: method, objective: objective)))
        #expect(error.line == line, "\(error)")
        #expect(error.message.contains(message), "\(error)")
    }

    @Test(
        "the indicator, window and document kind outside the subset are refused at their line",
        arguments: [
            ("type: slowatch", "metricSourceRef: prom", 13, "DataSource references are not supported"),
            ("      thresholdMetric:", "      ratioMetric:", 11, "ratio metrics are not supported"),
            ("      isRolling: true", "      isRolling: false", 18, "isRolling must be true"),
            (
                "      isRolling: true", "      calendar: {startTime: x, timeZone: UTC}", 18,
                "calendar-aligned windows"
            ),
            ("duration: 28d", "duration: 1M", 17, "months, quarters and years vary"),
            (
                "apiVersion: openslo/v1", "apiVersion: openslo/v2alpha", 1,
                "slowatch reads OpenSLO \"openslo/v1\""
            ),
            ("apiVersion: openslo/v1\n", "", 1, "apiVersion is required in an OpenSLO SLO"),
            (
                "  name: checkout\nspec:",
                "  name: checkout\n  annotations: {slowatch.dev/alerts: \"[{}]\"}\nspec:", 5,
                "slowatch.dev/alerts: alerts[0].tier: is required"
            ),
            (
                "  name: checkout\nspec:",
                "  name: checkout\n  annotations: {slowatch.dev/alerts: \"[\"}\nspec:", 5,
                "must be the JSON list of alert tiers"
            ),
            ("kind: SLO", "kind: SLI", 2, "documents of kind SLO"),
            (
                "  service: shop", "  service: shop\n  alertPolicies: [{alertPolicyRef: p}]", 7,
                "set them with the slowatch.dev/alerts"
            ),
            ("  service: shop", "  servce: shop", 6, "Unknown key \"servce\" in spec"),
            ("  indicator:\n", "  indicatorRef: x\n  indicator:\n", 7, "SLI references are not resolved"),
            (
                "  name: checkout\nspec:",
                "  name: checkout\n  annotations: {slowatch.dev/percentle: p9}\nspec:", 5,
                "slowatch reads no annotation"
            ),
            (
                "  name: checkout\nspec:", "  name: \"check out\"\nspec:", 4,
                "The SLO id \"check out\" is not valid"
            ),
            ("query: checkout.latency", "query: \"rate(x[5m])\"", 15, "names the metric \"rate(x[5m])\""),
        ])
    func refusedDocument(original: String, replacement: String, line: Int, message: String) throws {
        let text = Self.document(objective: "    - op: lte\n      value: 250\n      target: 0.99")
        #expect(text.contains(original))
        let error = try #require(failure(text.replacingOccurrences(of: original, with: replacement)))
        #expect(error.file == "test.yaml" && error.line == line, "\(error)")
        #expect(error.message.contains(message), "\(error)")
    }

    @Test("an OpenSLO id that a slos: item already uses is refused, and so is a second settings document")
    func duplicates() throws {
        let objective = "    - op: lte\n      value: 250\n      target: 0.99"
        let duplicate = try #require(
            failure(
                "slos:\n  - {id: checkout, metric: m, percentile: p99, threshold: 1}\n---\n"
                    + Self.document(objective: objective)))
        #expect(duplicate.line == 4 && duplicate.message.contains("already used by the SLO on line 2"))
        let second = try #require(failure("port: 1\n---\nhost: 0.0.0.0\n"))
        #expect(second.line == 3 && second.message.contains("A second slowatch configuration document"))
    }
}
