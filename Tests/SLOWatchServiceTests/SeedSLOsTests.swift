import SLOWatchCore
import Testing

@testable import SLOWatchService

/// The service's seven embedded SLOs, which the core no longer carries.
@Suite struct SeedSLOsTests {
    @Test func theSeedSetHasSevenValidSLOsWithStableIDs() throws {
        let seeds = SeedSLOs.all
        try SLODefinition.validateSet(seeds)
        let summary = seeds.map {
            "\($0.id) \($0.metric) \($0.percentile) \($0.direction) \($0.threshold) \($0.unit)"
        }
        #expect(
            summary == [
                "input-to-echo-p50 input-to-echo p50 above 30.0 ms",
                "input-to-echo-p95 input-to-echo p95 above 60.0 ms",
                "input-to-render-p50 input-to-render p50 above 60.0 ms",
                "input-to-render-p95 input-to-render p95 above 150.0 ms",
                "fps-p50 fps p50 below 60.0 fps",
                "memory-p95 memory p95 above 500.0 MB",
                "startup-to-interactive-p95 startup-to-interactive p95 above 2000.0 ms",
            ])
        #expect(seeds.allSatisfy { $0.severity == "warning" })
        for slo in seeds {
            let rebuilt = try SLODefinition(
                id: slo.id, metric: slo.metric, percentile: slo.percentile.text, threshold: slo.threshold,
                unit: slo.unit, direction: slo.direction, window: slo.window, minSamples: slo.minSamples)
            #expect(rebuilt == slo)
        }
    }

    @Test func theServiceChecksTheSeedsByDefaultAndTheCoreChecksNone() throws {
        #expect(ServiceConfiguration().slos == SeedSLOs.all)
        let monitor = try SLOMonitor(registry: MetricsRegistry())
        #expect(monitor.slos.isEmpty)
    }
}
