import Foundation
import SLOWatchCore
import SLOWatchCoreTesting
import TestCurlClient
import Testing

@testable import SLOWatchService

@Suite("Prometheus error-budget families checked by the real promtool")
struct PrometheusBudgetPromtoolTests {
    @Test(
        "promtool check metrics accepts the budget, burn-rate, event and alert families, warning-free",
        .enabled(if: ExternalTool.isInstalled("promtool"), ExternalTool.skipReason("promtool")))
    func promtoolAcceptsTheBudgetFamilies() throws {
        let source = ManualBudgetCountSource(clock: SystemWallClock())
        let slo = try SLODefinition(
            id: "checkout-budget", metric: "checkout.latency", percentile: .p99, threshold: 250,
            budget: SLOBudget(slo: "checkout-budget", objective: 99.9))
        let service = try TestService(budgetCountSource: source) { $0.slos = [slo] }
        defer { service.stop() }
        // After the counter started (events before it are not counted), and before the check's whole-ms now.
        Thread.sleep(forTimeInterval: 0.02)
        let at = SystemWallClock().nowMilliseconds().rounded(.down) - 1
        source.add(sloID: "checkout-budget", atMilliseconds: at, good: 9_000, bad: 1_000)
        service.service.monitor.checkAll()

        let client = try CurlClient()
        let scrape = try client.get(
            service.url("/metrics"), headers: [("Accept", PrometheusScrapeAccept.value)])
        #expect(scrape.status == 200)
        let folder = try ExternalTool.temporaryFolder("slowatch-promtool-budget")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("scrape.txt")
        try Data(scrape.body).write(to: file)
        let promtool = try #require(ExternalTool.path("promtool"))
        let result = try SlowatchProcess.run(
            ["-c", #"exec "$0" check metrics < "$1""#, promtool, file.path], executablePath: "/bin/sh",
            timeout: 20)
        let output = result.standardOutput + result.standardError
        #expect(result.status == 0, "promtool said: \(output)\n--- the exposition:\n\(scrape.bodyText)")
        #expect(output.isEmpty, "promtool warned: \(output)")
        #expect(
            scrape.bodyText.contains(
                #"slowatch_slo_alert_firing{slo="checkout-budget",tier="page-fast",severity="critical"} 1"#))
        #expect(
            scrape.bodyText.contains(#"slowatch_slo_events_total{slo="checkout-budget",result="bad"} 1000"#))
    }
}
