import Foundation
import TestCurlClient
import Testing

@testable import SLOWatchService

/// The dashboard (`GET /`) in a real browser: Debian's headless Chromium, driven over the DevTools
/// protocol by `Tests/browser/dashboard_driver.py`, against a live service with posted samples and
/// SLOs. The checks read the DOM the page built from the API, and its live event stream.
///
/// Serialized: each test runs its own Chromium, and two at once on a small CI machine only slow both.
@Suite(
    "Dashboard in headless Chromium", .serialized,
    .enabled(if: DashboardDriver.isAvailable, DashboardDriver.skipReason))
struct DashboardBrowserTests {
    /// A metric whose name needs URL encoding (`:`) and whose description is markup, to be shown as text.
    static let checkout = "shop:checkout.latency"
    static let markupDescription = #"<b id="injected">bold</b> & "quoted""#

    /// Posts 1...100 ms to ``checkout`` (p50 50, p95 95, p99 99, max 100) and 5 ms ×20 to
    /// `search.latency`, and defines three SLOs: one that will violate, one within, one without data.
    static func seed(_ service: TestService, client: CurlClient) throws {
        let definition =
            #"{"type":"latency","unit":"ms","description":"\#(markupDescription.replacingOccurrences(of: "\"", with: "\\\""))"}"#
        #expect(try client.putJSON(service.url("/metrics/\(checkout)"), definition).status == 201)
        let checkoutSamples = (1...100).map { #"{"metric":"\#(checkout)","value":\#($0)}"# }
        let searchSamples = (1...20).map { _ in #"{"metric":"search.latency","value":5}"# }
        let batch = #"{"samples":[\#((checkoutSamples + searchSamples).joined(separator: ","))]}"#
        #expect(try client.postJSON(service.url("/samples"), batch).status == 200)
        let slos = [
            ("checkout-p95", #"{"metric":"\#(checkout)","percentile":"p95","threshold":60}"#),
            ("search-p99", #"{"metric":"search.latency","percentile":"p99","threshold":250}"#),
            ("login-p95", #"{"metric":"login.latency","percentile":"p95","threshold":300}"#),
        ]
        for (id, body) in slos {
            #expect(try client.putJSON(service.url("/slos/\(id)"), body).status == 201)
        }
    }

    /// A JavaScript condition: the metric row shows `value` in `field`.
    static func cell(_ metric: String, _ field: String, is value: String) -> String {
        #"document.querySelector('tr[data-metric="\#(metric)"] [data-field="\#(field)"]')?.dataset.value === "\#(value)""#
    }

    /// A JavaScript condition: the SLO is listed in `state`.
    static func slo(_ id: String, is state: String) -> String {
        #"document.querySelector('#slo-list li[data-slo="\#(id)"]')?.dataset.state === "\#(state)""#
    }

    /// A JavaScript condition: the feed holds an event of `topic` for the SLO.
    static func feed(_ id: String, _ topic: String = "perf.slo_violation") -> String {
        #"document.querySelector('#feed li[data-slo="\#(id)"][data-topic="\#(topic)"]') !== null"#
    }

    /// A JavaScript condition: the event stream is open.
    static let live = #"document.getElementById("connection").dataset.state === "live""#

    @Test("the page shows each metric's numbers, every SLO's state, and a violation that arrives live")
    func showsMetricsSLOsAndLiveViolation() throws {
        let service = try TestService()
        defer { service.stop() }
        try Self.seed(service, client: try CurlClient())
        let folder = try ExternalTool.temporaryFolder("slowatch-dashboard")
        defer { try? FileManager.default.removeItem(at: folder) }
        let screenshot = folder.appendingPathComponent("dashboard.png").path
        let result = """
            ({
              cells: Object.fromEntries([...document.querySelectorAll('tr[data-metric="\(Self.checkout)"] td.num')]
                .map((td) => [td.dataset.field, td.textContent])),
              description: document.querySelector('tr[data-metric="\(Self.checkout)"] .desc').textContent,
              injected: document.getElementById("injected") !== null,
              slos: Object.fromEntries([...document.querySelectorAll("#slo-list li[data-slo]")].map((li) => [li.dataset.slo, li.dataset.state])),
              feed: [...document.querySelectorAll("#feed li")].map((li) => li.textContent),
              violatingRow: document.querySelector('tr[data-metric="\(Self.checkout)"]').dataset.violating,
              chartMarks: document.querySelectorAll('tr[data-metric="\(Self.checkout)"] svg :is(path, circle):not(.ring):is(.p50, .p95, .p99)').length
            })
            """
        let driver = try DashboardDriver(
            url: service.url("/"),
            waits: [
                (
                    "loaded",
                    Self.cell(Self.checkout, "p99", is: "99") + " && " + Self.live + " && "
                        + Self.chart(Self.checkout) + #"?.dataset.source === "history""#
                ),
                ("violation", Self.feed("checkout-p95") + " && " + Self.slo("checkout-p95", is: "violating")),
            ],
            result: result, screenshot: screenshot)
        defer { driver.stop() }
        #expect(driver.waitFor("loaded") == true, "\(driver.failures)")
        // The check runs only now, with the page connected, so the violation reaches it live.
        let events = service.service.monitor.checkAll()
        #expect(events.map(\.slo) == ["checkout-p95"])
        #expect(driver.waitFor("violation") == true, "\(driver.failures)")

        let last = try driver.finish()
        let page = try #require(last["result"] as? [String: Any], "\(last)")
        let cells = try #require(page["cells"] as? [String: String])
        #expect(cells == ["count": "100", "p50": "50ms", "p95": "95ms", "p99": "99ms", "max": "100ms"])
        #expect(page["description"] as? String == Self.markupDescription, "markup is shown as text")
        #expect(page["injected"] as? Bool == false, "no element was built from server text")
        let slos = try #require(page["slos"] as? [String: String])
        #expect(slos == ["checkout-p95": "violating", "search-p99": "ok", "login-p95": "no_data"])
        let feed = try #require(page["feed"] as? [String])
        #expect(feed.count == 1)
        #expect(
            feed.first?.contains("checkout-p95") == true && feed.first?.contains("95 ms") == true, "\(feed)")
        #expect(page["violatingRow"] as? String == "true")
        #expect(page["chartMarks"] as? Int ?? 0 >= 3, "p50, p95 and p99 from the history")
        #expect((last["exceptions"] as? [Any])?.isEmpty == true, "\(last["exceptions"] ?? "")")
        let console = (last["console"] as? [[String: Any]]) ?? []
        #expect(console.isEmpty, "no console error or warning, such as a CSP refusal: \(console)")
        let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
        let size = try #require(Self.pngSize(png))
        #expect(size.width == 1280 && size.height == 800, "the viewport size: \(size)")
    }

    @Test("at phone width the metrics become cards and nothing overflows horizontally")
    func phoneWidthHasNoHorizontalOverflow() throws {
        let service = try TestService()
        defer { service.stop() }
        try Self.seed(service, client: try CurlClient())
        _ = service.service.monitor.checkAll()
        let result = """
            ({
              documentWidth: document.documentElement.scrollWidth,
              viewport: window.innerWidth,
              rowDisplay: getComputedStyle(document.querySelector("tr[data-metric]")).display,
              headerShown: getComputedStyle(document.querySelector("#metrics thead")).display !== "none",
              wider: [...document.querySelectorAll("body *")].filter((node) => node.getBoundingClientRect().right > window.innerWidth + 1).map((node) => node.tagName + "." + node.className).slice(0, 5)
            })
            """
        let driver = try DashboardDriver(
            url: service.url("/"), viewport: "390x844", mobile: true,
            waits: [
                ("loaded", Self.cell(Self.checkout, "p99", is: "99") + " && " + Self.feed("checkout-p95"))
            ],
            result: result)
        defer { driver.stop() }
        #expect(driver.waitFor("loaded") == true, "\(driver.failures)")
        let last = try driver.finish()
        let page = try #require(last["result"] as? [String: Any], "\(last)")
        #expect(page["viewport"] as? Int == 390)
        #expect(page["documentWidth"] as? Int == 390, "the page is no wider than the phone: \(page)")
        #expect((page["wider"] as? [String])?.isEmpty == true, "elements past the right edge: \(page)")
        #expect(page["rowDisplay"] as? String == "grid", "each metric row is a card")
        #expect(page["headerShown"] as? Bool == false, "the table header is hidden on a phone")
    }

    @Test(
        "after a server restart on the same port the page reconnects by itself and shows the next violation")
    func reconnectsAfterARestart() throws {
        let port = try ExternalTool.freeLoopbackPort()
        var first: TestService? = try TestService { $0.port = port }
        defer { first?.stop() }
        let client = try CurlClient()
        try Self.seed(try #require(first), client: client)
        _ = first?.service.monitor.checkAll()
        let driver = try DashboardDriver(
            url: "http://127.0.0.1:\(port)/",
            waits: [
                ("before", Self.feed("checkout-p95") + " && " + Self.live),
                ("after", Self.feed("restarted-p50") + " && " + Self.live),
            ],
            result: ##"[...document.querySelectorAll("#feed li")].map((li) => li.dataset.slo)"##, timeout: 20)
        defer { driver.stop() }
        #expect(driver.waitFor("before") == true, "\(driver.failures)")

        first?.stop()
        first = nil
        let second = try TestService { $0.port = port }
        defer { second.stop() }
        // The page's EventSource comes back on its own (retry: 2000); a violation after that must reach it.
        let deadline = Date().addingTimeInterval(15)
        while second.service.streams.count == 0 && Date() < deadline { usleep(50_000) }
        #expect(second.service.streams.count == 1, "the page reopened its stream on the new server")
        #expect(
            try client.postJSON(second.url("/samples"), #"{"metric":"api.latency","value":80}"#).status == 200
        )
        let slo = #"{"metric":"api.latency","percentile":"p50","threshold":10}"#
        #expect(try client.putJSON(second.url("/slos/restarted-p50"), slo).status == 201)
        #expect(second.service.monitor.checkAll().map(\.slo) == ["restarted-p50"])
        #expect(driver.waitFor("after") == true, "\(driver.failures)")
        let last = try driver.finish()
        #expect(last["result"] as? [String] == ["restarted-p50", "checkout-p95"], "newest first: \(last)")
    }

    /// The width and height in a PNG's IHDR chunk.
    static func pngSize(_ png: Data) -> (width: Int, height: Int)? {
        guard png.count >= 24 else { return nil }
        let bytes = [UInt8](png[16..<24])
        let width = bytes[0..<4].reduce(0) { $0 << 8 | Int($1) }
        let height = bytes[4..<8].reduce(0) { $0 << 8 | Int($1) }
        return (width: width, height: height)
    }
}
