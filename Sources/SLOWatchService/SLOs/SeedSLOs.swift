import SLOWatchCore

/// The service's embedded SLO set, checked when no configuration names one: seven SLOs on five
/// metrics. The core library has no default SLOs; these belong to the slowatch product.
///
/// | id | metric | percentile | threshold |
/// |---|---|---|---|
/// | `input-to-echo-p50` | `input-to-echo` | p50 | above 30 ms |
/// | `input-to-echo-p95` | `input-to-echo` | p95 | above 60 ms |
/// | `input-to-render-p50` | `input-to-render` | p50 | above 60 ms |
/// | `input-to-render-p95` | `input-to-render` | p95 | above 150 ms |
/// | `fps-p50` | `fps` | p50 | below 60 fps |
/// | `memory-p95` | `memory` | p95 | above 500 MB |
/// | `startup-to-interactive-p95` | `startup-to-interactive` | p95 | above 2000 ms |
package enum SeedSLOs {
    /// The seven embedded SLOs, in the order above.
    package static let all: [SLODefinition] = [
        seed("input-to-echo", .p50, 30),
        seed("input-to-echo", .p95, 60),
        seed("input-to-render", .p50, 60),
        seed("input-to-render", .p95, 150),
        seed("fps", .p50, 60, unit: "fps", direction: .below),
        seed("memory", .p95, 500, unit: "MB"),
        seed("startup-to-interactive", .p95, 2000),
    ]

    /// A seed SLO whose id is `<metric>-<percentile>`, judged from the first sample, on every retained
    /// sample (no window).
    private static func seed(
        _ metric: String, _ percentile: Percentile, _ threshold: Double, unit: String = "ms",
        direction: SLODirection = .above
    ) -> SLODefinition {
        SLODefinition(
            unchecked: "\(metric)-\(percentile.text)", metric: metric, percentile: percentile,
            threshold: threshold, unit: unit, direction: direction, windowMilliseconds: nil, minSamples: 1)
    }
}
