extension SLODefinition {
    /// The embedded SLO set, used when no configuration is given: seven SLOs on five metrics.
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
    public static let defaults: [SLODefinition] = [
        .init(builtIn: "input-to-echo", .p50, 30),
        .init(builtIn: "input-to-echo", .p95, 60),
        .init(builtIn: "input-to-render", .p50, 60),
        .init(builtIn: "input-to-render", .p95, 150),
        .init(builtIn: "fps", .p50, 60, unit: "fps", direction: .below),
        .init(builtIn: "memory", .p95, 500, unit: "MB"),
        .init(builtIn: "startup-to-interactive", .p95, 2000),
    ]

    /// A built-in SLO whose id is `<metric>-<percentile>`.
    private init(
        builtIn metric: String, _ percentile: Percentile, _ threshold: Double, unit: String = "ms",
        direction: SLODirection = .above
    ) {
        self.init(
            unchecked: "\(metric)-\(percentile.text)", metric: metric, percentile: percentile,
            threshold: threshold,
            unit: unit, direction: direction, window: nil, minSamples: 1)
    }
}
