import Foundation
import SLOWatchCore
import SLOWatchCoreTesting
import TestCurlClient
import Testing

@testable import SLOWatchService

/// Error-budget SLOs through the routes: the fields' round trip and every 400, the status, the event
/// page's topics and the Prometheus families, with a ``ManualBudgetCountSource`` as the count source.
@Suite("/slos error budgets")
struct SLOBudgetRoutesTests {
    static let timeslices =
        #"{"metric":"api.latency","percentile":"p99","threshold":250,"objective":99.5,"#
        + #""budgetingMethod":"Timeslices","period":"7d","slice":"5m","alerts":[{"tier":"fast","burnRate":10,"#
        + #""longWindow":"1h","shortWindow":"5m","severity":"critical"}]}"#

    @Test("budget fields round-trip through PUT and GET, in the order they are read")
    func roundTrip() throws {
        let service = try InProcessService()
        let url = service.url("/slos/api")
        let created = try service.client.putJSON(url, Self.timeslices)
        #expect(created.status == 201)
        #expect(
            created.bodyText.hasPrefix(
                #"{"id":"api","metric":"api.latency","percentile":"p99","threshold":250,"unit":"ms","#
                    + #""direction":"above","window":null,"minSamples":1,"severity":"warning","objective":99.5,"#
                    + #""budgetingMethod":"Timeslices","period":"7d","slice":"5m","alerts":[{"tier":"fast","#
                    + #""burnRate":10,"longWindow":"1h","shortWindow":"5m","severity":"critical"}],"status":"#
            ))
        let budget = try #require(service.service.monitor.slos.first?.budget)
        #expect(budget.periodMilliseconds == 604_800_000 && budget.sliceMilliseconds == 300_000)
        // The answer, sent back as it is, changes nothing.
        let again = try service.client.putJSON(url, created.bodyText)
        #expect(again.status == 200 && again.bodyText == created.bodyText)
    }

    @Test("objective alone takes the defaults: Occurrences over 30d with the default tiers")
    func defaults() throws {
        let service = try InProcessService()
        let response = try service.client.putJSON(
            service.url("/slos/api"),
            #"{"metric":"api.latency","percentile":"p99","threshold":250,"objective":99.9}"#)
        #expect(response.status == 201)
        #expect(
            response.bodyText.contains(
                #""objective":99.9,"budgetingMethod":"Occurrences","period":"30d","status":"#))
        let budget = try #require(service.service.monitor.slos.first?.budget)
        #expect(budget.tiers.map(\.name) == ["page-fast", "page-slow", "ticket-fast", "ticket-slow"])
    }

    @Test(
        "bad budget fields are refused with 400 naming the field and the rule",
        arguments: [
            (#""objective":100"#, "objective 100.0, which is not valid"),
            (#""objective":0"#, "greater than 0 and less than 100"),
            (#""objective":"high""#, "objective: must be a finite number, got string."),
            (#""objective":99,"budgetingMethod":"Sometimes""#, #"must be "Occurrences" or "Timeslices""#),
            (#""objective":99,"period":"36d""#, "a period may be at most 35d"),
            (#""objective":99,"period":"0s""#, #"period: "0s" is not valid"#),
            (#""objective":99,"period":"1.5ms""#, "a whole number of milliseconds"),
            (#""objective":99,"slice":"1m""#, "slice applies only to budgetingMethod Timeslices"),
            (
                #""objective":99,"budgetingMethod":"Timeslices","slice":"15s""#,
                "whole multiple of the finest history slice (10s)"
            ),
            (
                #""objective":99,"budgetingMethod":"Timeslices","slice":"7h""#,
                "a slice may be at most 6h"
            ),
            (#""period":"7d""#, "period: needs an objective"),
            (#""alerts":[]"#, "alerts: needs an objective"),
            (#""objective":99,"alerts":{}"#, "alerts: must be an array, got object."),
            (#""objective":99,"alerts":[1]"#, "alerts[0]: must be a JSON object, got number."),
            (
                #""objective":99,"alerts":[{"burnRate":2,"longWindow":"1h","shortWindow":"5m"}]"#,
                "alerts[0].tier: is required"
            ),
            (
                #""objective":99,"alerts":[{"tier":"a","burnRate":0,"longWindow":"1h","shortWindow":"5m"}]"#,
                "a burn rate must be a finite number greater than 0"
            ),
            (
                #""objective":99,"alerts":[{"tier":"a","burnRate":2,"longWindow":"5m","shortWindow":"1h"}]"#,
                "the short window at most the long one"
            ),
            (
                #""objective":99,"alerts":[{"tier":"a","burnRate":2,"longWindow":"31d","shortWindow":"1h"}]"#,
                "a window may be at most the period (30d)"
            ),
            (
                #""objective":99,"alerts":[{"tier":"Bad Tier","burnRate":2,"longWindow":"1h","shortWindow":"5m"}]"#,
                "a tier name is 1 to 32 lowercase"
            ),
            (
                #""objective":99,"alerts":[{"tier":"a","burnRate":2,"longWindow":"1h","shortWindow":"5m"},"#
                    + #"{"tier":"a","burnRate":3,"longWindow":"1h","shortWindow":"5m"}]"#, "more than once"
            ),
        ])
    func refuses(fields: String, message: String) throws {
        let service = try InProcessService()
        let body = #"{"metric":"api.latency","percentile":"p99","threshold":250,"# + fields + "}"
        expectAPIError(
            try service.client.putJSON(service.url("/slos/api"), body), status: 400, code: "invalid_request",
            message: message)
        #expect(service.service.monitor.slos.isEmpty)
    }

    @Test("the status shows the budget, the burn rates and each tier; Prometheus shows the same")
    func statusAndPrometheus() throws {
        let clock = ManualClock()
        let source = ManualBudgetCountSource(clock: clock)
        let service = try InProcessService(wallClock: clock, budgetCountSource: source)
        #expect(
            try service.client.putJSON(
                service.url("/slos/api"),
                #"{"metric":"api.latency","percentile":"p99","threshold":250,"objective":99}"#
            ).status == 201)
        source.add(sloID: "api", good: 9_900, bad: 100)
        clock.advance(by: .seconds(1))
        service.service.monitor.checkAll()
        let status = try #require(
            try service.client.get(service.url("/slos/api")).json()["status"] as? [String: Any])
        let budget = try #require(status["budget"] as? [String: Any])
        #expect(budget["period"] as? String == "30d" && budget["objective"] as? Double == 99)
        #expect(
            budget["total"] as? Int == 10_000 && budget["good"] as? Int == 9_900
                && budget["bad"] as? Int == 100)
        // Exact: 100 bad events are exactly the budget of 1 % of 10,000.
        #expect(budget["remaining"] as? Double == 0)
        let rates = try #require(status["burnRates"] as? [String: Any])
        #expect(Set(rates.keys) == ["5m", "30m", "1h", "2h", "6h", "1d", "3d"])
        #expect(rates["1h"] as? Double == 1)
        let alerts = try #require(status["alerts"] as? [[String: Any]])
        #expect(
            alerts.map { $0["tier"] as? String } == ["page-fast", "page-slow", "ticket-fast", "ticket-slow"])
        #expect(alerts.first?["firing"] as? Bool == false && alerts.first?["longWindow"] as? String == "1h")

        let text = try service.client.get(
            service.url("/metrics"), headers: [("Accept", PrometheusNegotiationTests.prometheusAccept)]
        ).bodyText
        #expect(text.contains("# TYPE slowatch_slo_error_budget_remaining gauge\n"))
        #expect(text.contains("slowatch_slo_burn_rate{slo=\"api\",window=\"1h\"} 1\n"))
        #expect(text.contains("slowatch_slo_error_budget_remaining{slo=\"api\"} 0\n"))
        #expect(text.contains("slowatch_slo_events_total{slo=\"api\",result=\"good\"} 9900\n"))
        #expect(text.contains("slowatch_slo_events_total{slo=\"api\",result=\"bad\"} 100\n"))
        #expect(
            text.contains(
                "slowatch_slo_alert_firing{slo=\"api\",tier=\"page-fast\",severity=\"critical\"} 0\n"))
    }

    @Test("a service without budget SLOs writes no budget families")
    func noBudgetFamilies() throws {
        let service = try InProcessService()
        _ = try service.client.putJSON(
            service.url("/slos/plain"), #"{"metric":"m","percentile":"p95","threshold":1}"#)
        service.service.monitor.checkAll()
        let text = try service.client.get(
            service.url("/metrics"), headers: [("Accept", PrometheusNegotiationTests.prometheusAccept)]
        ).bodyText
        #expect(!text.contains("slowatch_slo_error_budget_remaining"))
        #expect(!text.contains("slowatch_slo_burn_rate"))
        let status = try #require(
            try service.client.get(service.url("/slos/plain")).json()["status"] as? [String: Any])
        #expect(Set(status.keys) == ["state", "actual", "count", "checkedAt"])
    }

    @Test("burn alerts and resolutions are on the violations page, and ?topic= narrows it")
    func violationsPageTopics() throws {
        let clock = ManualClock()
        let source = ManualBudgetCountSource(clock: clock)
        let service = try InProcessService(wallClock: clock, budgetCountSource: source)
        let body =
            #"{"metric":"api.latency","percentile":"p99","threshold":250,"objective":99,"alerts":[{"tier":"fast","#
            + #""burnRate":2,"longWindow":"10m","shortWindow":"1m","severity":"page"}]}"#
        #expect(try service.client.putJSON(service.url("/slos/api"), body).status == 201)
        source.add(sloID: "api", good: 900, bad: 100)
        clock.advance(by: .seconds(30))
        service.service.monitor.checkAll()
        clock.advance(by: .seconds(60))
        service.service.monitor.checkAll()
        let page = try service.client.get(service.url("/slo/violations?topic=perf.slo_burn_alert")).json()
        let events = try #require(page["violations"] as? [[String: Any]])
        #expect(events.map { $0["topic"] as? String } == ["perf.slo_burn_alert"])
        let payload = try #require(events.first?["payload"] as? [String: Any])
        #expect(payload["slo"] as? String == "api" && payload["tier"] as? String == "fast")
        #expect(payload["severity"] as? String == "page" && payload["factor"] as? Double == 2)
        #expect(
            payload["longWindowMs"] as? Double == 600_000 && payload["shortWindowMs"] as? Double == 60_000)
        #expect(abs((payload["longBurnRate"] as? Double ?? 0) - 10) < 1e-9)
        let all =
            try service.client.get(service.url("/slo/violations")).json()["violations"] as? [[String: Any]]
        #expect(all?.map { $0["topic"] as? String } == ["perf.slo_burn_alert", "perf.slo_burn_resolved"])
        expectAPIError(
            try service.client.get(service.url("/slo/violations?topic=perf.other")), status: 400,
            code: "invalid_request", message: #"'topic' names "perf.other", which is not an SLO event topic"#)
    }

    /// The body of the `curl -X PUT …/slos/<id>` example of docs/slos.md, read from the page itself.
    static func readmeBody(id: String) throws -> String {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/slos.md")
        let lines = try String(contentsOf: readme, encoding: .utf8).split(separator: "\n").map(String.init)
        guard let put = lines.firstIndex(where: { $0.hasPrefix("curl -X PUT localhost:8080/slos/\(id) ") }),
            put + 1 < lines.count, let start = lines[put + 1].firstIndex(of: "'"),
            let end = lines[put + 1].lastIndex(of: "'"), start < end
        else { throw TestServiceError("no PUT example for \(id) in docs/slos.md") }
        return String(lines[put + 1][lines[put + 1].index(after: start)..<end])
    }

    @Test("the two worked examples of docs/slos.md give the budgets it shows")
    func readmeExamples() throws {
        let clock = ManualClock()
        let source = ManualBudgetCountSource(clock: clock)
        let service = try InProcessService(wallClock: clock, budgetCountSource: source)
        let occurrences = try service.client.putJSON(
            service.url("/slos/checkout-budget"), try Self.readmeBody(id: "checkout-budget"))
        #expect(
            occurrences.bodyText.contains(
                #""objective":99.9,"budgetingMethod":"Occurrences","period":"30d","#))
        let slices = try service.client.putJSON(
            service.url("/slos/echo-slices"), try Self.readmeBody(id: "echo-slices"))
        #expect(slices.status == 201)
        source.add(sloID: "checkout-budget", good: 9_996, bad: 4)
        source.add(sloID: "echo-slices", good: 19_000, bad: 1_000, goodSlices: 199, badSlices: 1)
        clock.advance(by: .seconds(1))
        service.service.monitor.checkAll()
        let checkout = try #require(service.service.monitor.status(id: "checkout-budget")?.budget)
        #expect(checkout.total == 10_000 && checkout.good == 9_996 && checkout.bad == 4)
        #expect(abs(checkout.allowedBad - 10) < 1e-9 && abs(checkout.remaining - 0.6) < 1e-9)
        #expect(abs((checkout.burnRates.first?.burnRate ?? 0) - 0.4) < 1e-9)
        let echo = try #require(service.service.monitor.status(id: "echo-slices")?.budget)
        #expect(echo.total == 200 && echo.good == 199 && echo.bad == 1)
        #expect(abs(echo.allowedBad - 2) < 1e-9 && abs(echo.remaining - 0.5) < 1e-9)
    }
}
