import SLOWatchCore
import Testing

@testable import SLOWatchService

/// `OpenSLOExport`: the OpenSLO text of an SLO, the SLOs it leaves out and why, and its round trip.
@Suite("OpenSLO export")
struct OpenSLOExportTests {
    @Test("an Occurrences SLO is written as one kind: SLO document, fields implied by it left out")
    func occurrencesDocument() throws {
        let slo = try SLODefinition(
            id: "checkout", metric: "checkout.latency", percentile: "p99.9", threshold: 250,
            budget: SLOBudget(slo: "checkout", objective: 99.9, periodMilliseconds: 28 * 86_400_000))
        let result = OpenSLOExport.export([slo])
        #expect(result.skipped.isEmpty)
        #expect(
            result.text == """
                ---
                apiVersion: openslo/v1
                kind: SLO
                metadata:
                  name: checkout
                spec:
                  service: slowatch
                  indicator:
                    metadata:
                      name: checkout
                    spec:
                      thresholdMetric:
                        metricSource:
                          type: slowatch
                          spec:
                            query: checkout.latency
                  timeWindow:
                    - duration: 4w
                      isRolling: true
                  budgetingMethod: Occurrences
                  objectives:
                    - op: lte
                      value: 250
                      targetPercent: 99.9

                """)
    }

    @Test(
        "a Timeslices SLO with slowatch-only fields writes them as slowatch.dev annotations, quoted as needed"
    )
    func annotatedTimeslices() throws {
        let slo = try SLODefinition(
            id: "echo", metric: "input-to-echo", percentile: "p99.9", threshold: 0.06, unit: "true",
            window: .seconds(300), minSamples: 20, severity: "critical",
            budget: SLOBudget(
                slo: "echo", objective: 99.5, method: .timeslices, periodMilliseconds: 7 * 86_400_000,
                sliceMilliseconds: 300_000))
        let text = OpenSLOExport.export([slo]).text
        #expect(
            text.contains(
                "metadata:\n  name: echo\n  annotations:\n    slowatch.dev/unit: \"true\"\n"
                    + "    slowatch.dev/window: \"5m\"\n    slowatch.dev/min-samples: \"20\"\n"
                    + "    slowatch.dev/severity: critical\nspec:\n"))
        #expect(
            text.hasSuffix(
                "  timeWindow:\n    - duration: 1w\n      isRolling: true\n  budgetingMethod: Timeslices\n"
                    + "  objectives:\n    - op: lte\n      value: 0.06\n      targetPercent: 99.5\n"
                    + "      timeSliceTarget: 0.999\n      timeSliceWindow: 5m\n"))
        let reloaded = try #require(ConfigFile.parse(text, path: "e.yaml").slos?.first?.definition)
        #expect(reloaded == slo)
    }

    @Test("an Occurrences SLO whose percentile is not implied by its target keeps it in an annotation")
    func percentileAnnotation() throws {
        let slo = try SLODefinition(
            id: "api", metric: "api", percentile: "p95", threshold: -3, direction: .below,
            budget: SLOBudget(slo: "api", objective: 99.95))
        let text = OpenSLOExport.export([slo]).text
        #expect(text.contains("    slowatch.dev/percentile: p95\n"))
        #expect(text.contains("    - op: gte\n      value: -3\n      targetPercent: 99.95\n"))
        #expect(text.contains("    - duration: 30d\n"))
        let first = try #require(ConfigFile.parse(text, path: "e.yaml").slos?.first?.definition)
        #expect(first == slo)
        #expect(OpenSLOExport.export([first]).text == text)
    }

    @Test("SLOs OpenSLO cannot say exactly are left out, each with its reason")
    func skipped() throws {
        let plain = try SLODefinition(id: "plain", metric: "m", percentile: "p95", threshold: 60)
        let below = try SLODefinition(
            id: "fps", metric: "fps", percentile: "p95", threshold: 30, direction: .below,
            budget: SLOBudget(slo: "fps", objective: 99, method: .timeslices))
        let seconds = try SLODefinition(
            id: "odd", metric: "m", percentile: "p95", threshold: 60,
            budget: SLOBudget(slo: "odd", objective: 99, periodMilliseconds: 90_000))
        let result = OpenSLOExport.export([plain, below, seconds])
        #expect(result.text.isEmpty)
        #expect(result.skipped.count == 3)
        #expect(result.skipped[0].hasPrefix("The SLO \"plain\" is not exported: it has no objective"))
        #expect(result.skipped[1].contains("Timeslices SLO with direction below"))
        #expect(result.skipped[2].contains("whole minutes, hours, days or weeks"))
    }

    @Test(
        "numbers and durations are written so that they read back the same",
        arguments: [
            (0.1, "0.1"), (250, "250"), (1e21, "1000000000000000000000"), (-0.000001, "-0.000001"),
        ])
    func numbers(value: Double, text: String) {
        #expect(OpenSLONumberText.yamlNumber(value) == text)
        #expect(Double(text) == value)
    }

    @Test("decimal points move in the text, not by multiplying")
    func shifted() {
        #expect(OpenSLONumberText.shifted(0.29, by: 2) == "29")
        #expect(OpenSLONumberText.shifted(0.9995, by: 2) == "99.95")
        #expect(OpenSLONumberText.shifted("95", by: -2) == "0.95")
        #expect(OpenSLONumberText.shifted("100", by: -2) == "1")
        #expect(OpenSLONumberText.shifted("99.9", by: -2) == "0.999")
        #expect(OpenSLOTimeWindow.shorthand(86_400_000 * 30) == "30d")
        #expect(OpenSLOTimeWindow.shorthand(90_000) == nil)
        #expect(OpenSLOTimeWindow.milliseconds("2w") == 1_209_600_000)
        #expect(OpenSLOTimeWindow.milliseconds("1M") == nil && OpenSLOTimeWindow.milliseconds("-1d") == nil)
    }

    @Test("a GET /slos answer reads back as the SLOs the server runs, status and all ignored")
    func slosAnswer() throws {
        let test = try InProcessService { $0.slos = [] }
        let body = #"{"metric":"api","percentile":"p99","threshold":250,"objective":99.9,"period":"7d"}"#
        #expect(try test.client.putJSON("/slos/api", body).status == 201)
        #expect(
            try test.client.putJSON("/slos/plain", #"{"metric":"m","percentile":"p95","threshold":1}"#).status
                == 201)
        let answer = try test.client.get("/slos")
        let definitions = try OpenSLOExport.definitions(fromSLOList: Array(answer.bodyText.utf8), source: "-")
        #expect(definitions.map(\.id).sorted() == ["api", "plain"])
        #expect(Set(definitions.map(\.id)) == Set(test.service.monitor.slos.map(\.id)))
        #expect(definitions.first { $0.id == "api" } == test.service.monitor.slos.first { $0.id == "api" })
        let result = OpenSLOExport.export(definitions)
        #expect(result.text.contains("  name: api\n") && result.skipped.count == 1)
    }

    @Test(
        "an SLO list that is not a GET /slos answer is refused naming the source and the fault",
        arguments: [
            ("[1]", "must be the answer of GET /slos"),
            (
                #"{"slos":[{"id":"a","metric":"m","percentile":"p101","threshold":1}]}"#,
                "The percentile \"p101\""
            ),
            (#"{"slos":[{"metric":"m"}]}"#, "slos[0].id"),
            ("{", "is not valid JSON"),
        ])
    func badSLOList(text: String, message: String) {
        #expect {
            try OpenSLOExport.definitions(fromSLOList: Array(text.utf8), source: "list.json")
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.file == "list.json" && error.message.contains(message)
        }
    }

    @Test("own alert tiers, or none, travel in the slowatch.dev/alerts annotation and read back the same")
    func alertTiers() throws {
        let tier = try BurnAlertTier(
            slo: "api", name: "page", burnRate: 10, longWindowMilliseconds: 3_600_000,
            shortWindowMilliseconds: 300_000, severity: "critical")
        for alerts in [[tier], []] {
            let slo = try SLODefinition(
                id: "api", metric: "api", percentile: "p99.9", threshold: 250,
                budget: SLOBudget(
                    slo: "api", objective: 99.9, periodMilliseconds: 7 * 86_400_000, alerts: alerts))
            let text = OpenSLOExport.export([slo]).text
            let reloaded = try #require(ConfigFile.parse(text, path: "e.yaml").slos?.first?.definition)
            #expect(reloaded == slo)
            #expect(OpenSLOExport.export([reloaded]).text == text)
            if alerts.isEmpty { #expect(text.contains("    slowatch.dev/alerts: \"[]\"\n")) }
        }
        let one = try SLODefinition(
            id: "api", metric: "api", percentile: "p99.9", threshold: 250,
            budget: SLOBudget(slo: "api", objective: 99.9, alerts: [tier]))
        #expect(
            OpenSLOExport.export([one]).text.contains(
                #"    slowatch.dev/alerts: "[{\"tier\":\"page\",\"burnRate\":10,\"longWindow\":\"1h\","#
                    + #"\"shortWindow\":\"5m\",\"severity\":\"critical\"}]""# + "\n"))
    }
}
