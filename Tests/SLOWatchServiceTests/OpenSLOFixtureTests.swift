import Foundation
import SLOWatchCore
import Testing

@testable import SLOWatchService

/// The OpenSLO specification's own examples (vendored under the integration tests' Fixtures/openslo, with
/// their source in its README): refused with the field, line and reason when outside the subset; the
/// examples derived to fall in it load, run through the real routes, and export stably.
@Suite("OpenSLO specification examples")
struct OpenSLOFixtureTests {
    /// The fixture `name`'s path in the source tree.
    static func path(_ name: String) -> String {
        SlowatchProcess.packageRoot.appendingPathComponent(
            "Tests/SLOWatchIntegrationTests/Fixtures/openslo/\(name)"
        ).path
    }

    @Test(
        "the specification's examples outside the subset are refused with the field, line and reason",
        arguments: [
            ("occurences-slo.yaml", 26, "spec.objectives[0].op: lt is not supported"),
            ("ratio-timeslices.yaml", 15, "spec.indicator.spec.ratioMetric: ratio metrics are not supported"),
            ("timeslices-slo.yaml", 15, "spec.indicator.spec.ratioMetric: ratio metrics are not supported"),
            ("low-traffic-timeslices-slo.yaml", 13, "ratio metrics are not supported"),
            ("readme-foo-slo.yaml", 13, "ratio metrics are not supported"),
        ])
    func refused(name: String, line: Int, message: String) throws {
        let path = Self.path(name)
        #expect(throws: ConfigError.self) { try ConfigFile.load(path: path) }
        do {
            _ = try ConfigFile.load(path: path)
        } catch {
            #expect(error.file == path && error.line == line, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }

    @Test("the derived examples load as the budget SLOs they describe")
    func derivedLoad() throws {
        let occurrences = try #require(ConfigFile.load(path: Self.path("occurences-slo-lte.yaml")).slos)
        #expect(occurrences.count == 1 && occurrences[0].isOpenSLO && occurrences[0].line == 2)
        #expect(
            occurrences[0].definition
                == (try SLODefinition(
                    id: "search-slo", metric: "Any", percentile: "p99", threshold: 500,
                    budget: SLOBudget(slo: "search-slo", objective: 99, periodMilliseconds: 1_209_600_000))))
        let slices = try #require(ConfigFile.load(path: Self.path("timeslices-slo-lte.yaml")).slos?.first)
        #expect(slices.definition.percentile.text == "p95")
        #expect(
            slices.definition.budget?.method == .timeslices
                && slices.definition.budget?.sliceMilliseconds == 60_000)
    }

    @Test("a derived example runs: samples through POST /samples spend its budget, shown by GET /slos/{id}")
    func derivedRuns() throws {
        let slos = try #require(ConfigFile.load(path: Self.path("occurences-slo-lte.yaml")).slos)
        let test = try InProcessService { $0.slos = slos.map(\.definition) }
        let samples = (0..<1_000).map { #"{"metric":"Any","value":\#($0 < 4 ? 900 : 120)}"# }
        let posted = try test.client.postJSON(
            "/samples", #"{"samples":[\#(samples.joined(separator: ","))]}"#)
        #expect(posted.status == 200, "\(posted.bodyText)")
        test.service.monitor.checkAll()
        let answer = try test.client.get("/slos/search-slo")
        #expect(answer.status == 200)
        #expect(answer.bodyText.contains(#""objective":99,"budgetingMethod":"Occurrences","period":"14d""#))
        #expect(
            answer.bodyText.contains(#""total":1000,"good":996,"bad":4,"allowedBad":10"#),
            "\(answer.bodyText)")
    }

    @Test("each derived example round-trips: load, export, load, export gives the same bytes")
    func derivedRoundTrip() throws {
        for name in ["occurences-slo-lte.yaml", "timeslices-slo-lte.yaml"] {
            let slos = try #require(ConfigFile.load(path: Self.path(name)).slos).map(\.definition)
            let first = OpenSLOExport.export(slos)
            #expect(first.skipped.isEmpty && !first.text.isEmpty)
            let reloaded = try #require(ConfigFile.parse(first.text, path: "export.yaml").slos).map(
                \.definition)
            #expect(reloaded == slos)
            #expect(OpenSLOExport.export(reloaded).text == first.text)
        }
    }
}
