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

        let exposition = try PromtoolCheck.scrapeAndCheck(
            service.url("/metrics"), folderName: "slowatch-promtool-budget")
        #expect(
            exposition.contains(
                #"slowatch_slo_alert_firing{slo="checkout-budget",tier="page-fast",severity="critical"} 1"#))
        #expect(
            exposition.contains(#"slowatch_slo_events_total{slo="checkout-budget",result="bad"} 1000"#))
    }
}
