import Foundation
import TestCurlClient
import Testing

@testable import SLOWatchService

/// The dashboard's charts from `GET /metrics/{name}/history` and its error-budget panel, in headless
/// Chromium (same suite, so still one browser at a time).
extension DashboardBrowserTests {
    /// A JavaScript expression: the chart box of `metric`'s row.
    static func chart(_ metric: String) -> String {
        #"document.querySelector('tr[data-metric="\#(metric)"] .chart-box')"#
    }

    /// Now, in ms since the epoch.
    static var nowMilliseconds: Int { Int(Date().timeIntervalSince1970 * 1000) }

    @Test("the range picker asks the history for the chosen range, and keeps it in the URL")
    func rangePickerChangesTheRequest() throws {
        let service = try TestService()
        defer { service.stop() }
        try Self.seed(service, client: try CurlClient())
        let chart = Self.chart(Self.checkout)
        let driver = try DashboardDriver(
            url: service.url("/"),
            waits: [
                ("1h", #"\#(chart)?.dataset.url.includes("/history?range=1h&step=10s")"#),
                ("click", #"(document.querySelector('#ranges [data-range="24h"]').click(), true)"#),
                ("24h", #"\#(chart)?.dataset.url.includes("/history?range=24h&step=300s")"#),
            ],
            result: """
                ({ hash: location.hash, stored: localStorage.getItem("slowatch.range"),
                   pressed: [...document.querySelectorAll('#ranges [aria-pressed="true"]')].map((b) => b.dataset.range),
                   head: document.getElementById("chart-head").textContent, range: \(chart).dataset.range })
                """)
        defer { driver.stop() }
        #expect(driver.waitFor("1h") == true, "\(driver.failures)")
        #expect(driver.waitFor("24h") == true, "\(driver.failures)")
        let last = try driver.finish()
        let page = try #require(last["result"] as? [String: Any], "\(last)")
        #expect(page["hash"] as? String == "#range=24h")
        #expect(page["stored"] as? String == "24h")
        #expect(page["pressed"] as? [String] == ["24h"])
        #expect(page["head"] as? String == "History, 24h")
        #expect(page["range"] as? String == "24h")
        #expect((last["exceptions"] as? [Any])?.isEmpty == true, "\(last["exceptions"] ?? "")")
    }

    @Test("a chart shows points from history for samples older than the ring, and says they are not exact")
    func chartShowsHistoryOlderThanTheRing() throws {
        let service = try TestService()
        defer { service.stop() }
        let client = try CurlClient()
        let metric = "old.latency"
        #expect(
            try client.putJSON(service.url("/metrics/\(metric)"), #"{"unit":"ms","capacity":10}"#).status
                == 201)
        let now = Self.nowMilliseconds
        let old = now - 20 * 60_000
        // 30 samples 20 minutes ago, then 10 now: the ring (10) holds only the new ones.
        let samples =
            (1...30).map { #"{"metric":"\#(metric)","value":\#(30 + $0),"timestamp":\#(old)}"# }
            + (1...10).map { _ in #"{"metric":"\#(metric)","value":5,"timestamp":\#(now)}"# }
        #expect(
            try client.postJSON(service.url("/samples"), #"{"samples":[\#(samples.joined(separator: ","))]}"#)
                .status == 200)
        let chart = Self.chart(metric)
        let driver = try DashboardDriver(
            url: service.url("/"),
            waits: [
                ("history", #"Number(\#(chart)?.dataset.points) >= 2 && \#(chart).dataset.exact === "false""#)
            ],
            result: """
                ({ oldest: Number(\(chart).dataset.oldest), points: Number(\(chart).dataset.points),
                   note: \(chart).querySelector(".chart-note").textContent,
                   lines: \(chart).querySelectorAll("path.p50, path.p95, path.p99").length,
                   ring: \(chart).querySelectorAll("circle.ring").length })
                """)
        defer { driver.stop() }
        #expect(driver.waitFor("history") == true, "\(driver.failures)")
        let last = try driver.finish()
        let page = try #require(last["result"] as? [String: Any], "\(last)")
        let oldest = try #require(page["oldest"] as? Int)
        #expect(oldest <= old && oldest > old - 10_000, "the 10 s step holding the old samples: \(page)")
        #expect(page["points"] as? Int == 2, "\(page)")
        #expect((page["note"] as? String)?.hasPrefix("history ±0.54 %") == true, "\(page)")
        #expect(page["ring"] as? Int == 3, "the ring's exact p50, p95 and p99 now: \(page)")
        #expect((last["exceptions"] as? [Any])?.isEmpty == true, "\(last["exceptions"] ?? "")")
        let console = (last["console"] as? [[String: Any]]) ?? []
        #expect(console.isEmpty, "\(console)")
    }

    @Test("a budget SLO shows its budget bar with the right percentage, a burn-down and a firing tier")
    func budgetSLOShowsBarBurnDownAndFiringTier() throws {
        let service = try TestService()
        defer { service.stop() }
        let client = try CurlClient()
        let slo =
            #"{"metric":"pay.latency","percentile":"p99","threshold":100,"objective":90,"period":"1d","#
            + #""alerts":[{"tier":"page-fast","burnRate":2,"longWindow":"5m","shortWindow":"1m","severity":"critical"}]}"#
        #expect(try client.putJSON(service.url("/slos/pay-budget"), slo).status == 201)
        let now = Self.nowMilliseconds
        // 1,000 good samples 30 minutes ago, then a burst of 50 bad and 50 good now: 50 bad of 1,100,
        // 110 allowed (10 %), so 1 − 50/110 = 54.5 % of the budget is left; over the last 5 minutes
        // half the events are bad, a burn rate of 5, above the tier's 2.
        let samples =
            (0..<1000).map { _ in #"{"metric":"pay.latency","value":20,"timestamp":\#(now - 30 * 60_000)}"# }
            + (0..<50).map { _ in #"{"metric":"pay.latency","value":500,"timestamp":\#(now)}"# }
            + (0..<50).map { _ in #"{"metric":"pay.latency","value":20,"timestamp":\#(now)}"# }
        #expect(
            try client.postJSON(service.url("/samples"), #"{"samples":[\#(samples.joined(separator: ","))]}"#)
                .status == 200)
        _ = service.service.monitor.checkAll()
        let budget = #"document.querySelector('.budget[data-slo="pay-budget"]')"#
        let driver = try DashboardDriver(
            url: service.url("/"),
            waits: [
                (
                    "budget",
                    #"\#(budget)?.dataset.remaining === "54.5" && \#(budget).querySelector('li[data-tier="page-fast"]')?.dataset.firing === "true" && Number(\#(budget).querySelector(".burndown-box")?.dataset.points) >= 2"#
                )
            ],
            result: """
                ({ left: \(budget).querySelector(".budget-left").textContent,
                   width: \(budget).querySelector(".budget-bar span").style.width,
                   tier: \(budget).querySelector('li[data-tier="page-fast"]').textContent,
                   burndown: \(budget).querySelector(".burndown-box").dataset.url,
                   spent: \(budget).querySelectorAll(".burndown path.left").length })
                """)
        defer { driver.stop() }
        #expect(driver.waitFor("budget") == true, "\(driver.failures)")
        let last = try driver.finish()
        let page = try #require(last["result"] as? [String: Any], "\(last)")
        #expect(page["left"] as? String == "54.5 % left", "\(page)")
        #expect((page["width"] as? String)?.hasPrefix("54.5") == true, "\(page)")
        let tier = try #require(page["tier"] as? String)
        #expect(tier.contains("page-fast") && tier.contains("critical") && tier.contains("firing"), "\(tier)")
        #expect(tier.contains("5m 5×") && tier.contains("vs 2×"), "the long window's burn rate: \(tier)")
        #expect((page["burndown"] as? String)?.contains("/metrics/pay.latency/history?range=1d&") == true)
        #expect((page["burndown"] as? String)?.contains("&slo=pay-budget") == true)
        #expect((last["exceptions"] as? [Any])?.isEmpty == true, "\(last["exceptions"] ?? "")")
        let console = (last["console"] as? [[String: Any]]) ?? []
        #expect(console.isEmpty, "\(console)")
    }
}
