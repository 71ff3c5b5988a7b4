import Foundation
import SLOWatchCore
import TestCurlClient
import Testing

@testable import SLOWatchService

/// An SLO's `severity`: its rule, its default, and where it shows (the SLO JSON, the event payload).
@Suite("SLO severity")
struct SLOSeverityTests {
    @Test(
        "a severity is 1 to 32 of a-z, 0-9, _ and -, starting with a letter",
        arguments: [
            ("warning", true), ("critical", true), ("p1", true), ("page_now-2", true),
            (String(repeating: "a", count: 32), true), (String(repeating: "a", count: 33), false),
            ("", false),
            ("Critical", false), ("1high", false), ("-x", false), ("high prio", false), ("é", false),
            ("warn.ing", false),
        ])
    func rule(severity: String, valid: Bool) {
        #expect(SLODefinition.isValidSeverity(severity) == valid)
        let made = try? SLODefinition(
            id: "s", metric: "m", percentile: "p95", threshold: 1, severity: severity)
        #expect((made != nil) == valid)
    }

    @Test(
        "PUT /slos takes a severity, defaults it to warning, and answers it; an invalid one is a 400 naming it"
    )
    func put() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        let critical = try client.putJSON(
            service.url("/slos/pay"),
            #"{"metric":"pay","percentile":"p99","threshold":500,"severity":"critical"}"#)
        #expect(critical.status == 201)
        #expect(try critical.json()["severity"] as? String == "critical")
        #expect(service.service.monitor.slos.first?.severity == "critical")
        let plain = try client.putJSON(
            service.url("/slos/plain"),
            #"{"metric":"pay","percentile":"p50","threshold":100,"severity":null}"#)
        #expect(try plain.json()["severity"] as? String == "warning")
        let listed = try client.get(service.url("/slos")).json()["slos"] as? [[String: Any]]
        #expect(listed?.map { $0["severity"] as? String } == ["critical", "warning"])

        expectAPIError(
            try client.putJSON(
                service.url("/slos/bad"),
                #"{"metric":"pay","percentile":"p99","threshold":1,"severity":"PAGE"}"#),
            status: 400, code: "invalid_request",
            message:
                #"The SLO "bad" has the severity "PAGE", which is not valid: a severity is 1 to 32 lowercase"#
        )
        expectAPIError(
            try client.putJSON(
                service.url("/slos/bad"), #"{"metric":"pay","percentile":"p99","threshold":1,"severity":3}"#),
            status: 400, code: "invalid_request", message: "severity: must be a string, got number.")
        #expect(service.service.monitor.slos.count == 2)
    }

    @Test("a configuration file's SLO takes a severity; an invalid one is reported at its line")
    func configFile() throws {
        let file = try ConfigFile.parse(
            "slos:\n  - {id: a, metric: m, percentile: p95, threshold: 1, severity: page}\n"
                + "  - {id: b, metric: m, percentile: p50, threshold: 1}\n", path: "f.yaml")
        #expect(file.slos?.map(\.definition.severity) == ["page", "warning"])
        #expect(
            throws: ConfigError(
                file: "f.yaml", line: 6, message: SLOError.invalidSeverity(slo: "a", severity: "High").message
            )
        ) {
            try ConfigFile.parse(
                "slos:\n  - id: a\n    metric: m\n    percentile: p95\n    threshold: 1\n    severity: High\n",
                path: "f.yaml")
        }
        let summary = ConfigSummary.describe(try #require(file.slos?.first?.definition))
        #expect(summary == "a: m p95 above 1 ms, severity page")
        let budgets = try ConfigFile.parse(
            "slos:\n  - {id: a, metric: m, percentile: p99, threshold: 250, objective: 99.9}\n"
                + "  - {id: b, metric: m, percentile: p99, threshold: 250, objective: 99.5, "
                + "budgetingMethod: Timeslices, slice: 5m, period: 7d, alerts: []}\n", path: "f.yaml")
        #expect(
            budgets.slos?.map { ConfigSummary.describe($0.definition) } == [
                "a: m p99 above 250 ms, objective 99.9 % Occurrences over 30d, 4 alert tiers",
                "b: m p99 above 250 ms, objective 99.5 % Timeslices of 5m over 7d, no alert tiers",
            ])
    }

    @Test("violation and recovery events carry the SLO's severity")
    func eventPayload() throws {
        let slo = try SLODefinition(
            id: "pay-p95", metric: "pay", percentile: .p95, threshold: 60, severity: "critical")
        let service = try InProcessService { $0.slos = [slo] }
        defer { service.stop() }
        let client = service.client
        _ = try client.postJSON(service.url("/samples"), #"{"samples":[{"metric":"pay","value":100}]}"#)
        service.service.monitor.checkAll()
        _ = try client.postJSON(
            service.url("/samples"),
            #"{"samples":["#
                + Array(repeating: #"{"metric":"pay","value":1}"#, count: 99).joined(separator: ",") + "]}")
        service.service.monitor.checkAll()
        let events = try ViolationListTests.violations(client.get(service.url("/slo/violations")))
        #expect(events.map { $0["topic"] as? String } == ["perf.slo_violation", "perf.slo_recovered"])
        #expect(
            events.map { ($0["payload"] as? [String: Any])?["severity"] as? String } == [
                "critical", "critical",
            ])
    }
}
