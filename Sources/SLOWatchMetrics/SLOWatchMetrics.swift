import CoreMetrics
import Logging
import SLOWatchCore

/// A swift-metrics backend that lands an app's metric values in a ``MetricsRegistry``, where SLOs,
/// percentiles and the monitor see them like any other sample.
///
/// Bootstrap it once per process: `MetricsSystem.bootstrap(SLOWatchMetrics(registry: registry))`.
/// Then every value goes into the registry metric named by ``metricName(label:dimensions:)``,
/// stamped with the registry's wall clock:
///
/// | swift-metrics | sample recorded | unit |
/// |---|---|---|
/// | `Timer` | each duration | **ms** (ns ÷ 1,000,000), whatever `preferDisplayUnit` says |
/// | `Recorder` (and `Gauge`) | each value, aggregate or not | the recorder's own unit, unchanged |
/// | `Meter` | the meter's value after each `set`, `increment`, `decrement` | its own unit |
/// | `Counter`, `FloatingPointCounter` | the running total after each `increment` or `reset` (0) | its own unit |
///
/// Counters and meters thus become a series of the values they held, whose percentiles and windows
/// answer "how high did it get", which is what an SLO on them can ask.
///
/// Nothing is dropped silently: a value the registry refuses (auto-registration off and the metric
/// unknown, the metric limit reached, a non-finite number) is counted in ``rejectedSamples`` and
/// logged at `warning` through the logger given to ``init(registry:logger:)``.
public struct SLOWatchMetrics: MetricsFactory {
    private let sink: RegistrySink

    /// Creates a backend over `registry`.
    /// - Parameters:
    ///   - registry: where the values land; its configuration decides the capacity and unit of the
    ///     metrics that recording registers on the fly.
    ///   - logger: where refused values are reported; the default discards every line.
    public init(
        registry: MetricsRegistry,
        logger: Logger = .discarding
    ) {
        sink = RegistrySink(registry: registry, logger: logger)
    }

    /// The registry the values land in.
    public var registry: MetricsRegistry { sink.registry }

    /// How many values the registry refused so far (each also logged at `warning`).
    public var rejectedSamples: UInt64 { sink.rejected }

    /// Makes the handler behind a `Counter`: records the running total after each change.
    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        RegistryCounter(name: Self.metricName(label: label, dimensions: dimensions), sink: sink)
    }

    /// Makes the handler behind a `FloatingPointCounter`: records the running total after each change.
    public func makeFloatingPointCounter(
        label: String, dimensions: [(String, String)]
    ) -> any FloatingPointCounterHandler {
        RegistryFloatingPointCounter(name: Self.metricName(label: label, dimensions: dimensions), sink: sink)
    }

    /// Makes the handler behind a `Meter`: records the value after each change.
    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        RegistryMeter(name: Self.metricName(label: label, dimensions: dimensions), sink: sink)
    }

    /// Makes the handler behind a `Recorder` or `Gauge`: records each value unchanged (`aggregate` is
    /// ignored, since the registry always keeps the samples themselves).
    public func makeRecorder(
        label: String, dimensions: [(String, String)], aggregate: Bool
    ) -> any RecorderHandler {
        RegistryRecorder(name: Self.metricName(label: label, dimensions: dimensions), sink: sink)
    }

    /// Makes the handler behind a `Timer`: records each duration in ms.
    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        RegistryTimer(name: Self.metricName(label: label, dimensions: dimensions), sink: sink)
    }

    /// Does nothing: the registry metric, and its samples, outlive the swift-metrics value.
    public func destroyCounter(_ handler: any CounterHandler) {}

    /// Does nothing: the registry metric, and its samples, outlive the swift-metrics value.
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}

    /// Does nothing: the registry metric, and its samples, outlive the swift-metrics value.
    public func destroyMeter(_ handler: any MeterHandler) {}

    /// Does nothing: the registry metric, and its samples, outlive the swift-metrics value.
    public func destroyRecorder(_ handler: any RecorderHandler) {}

    /// Does nothing: the registry metric, and its samples, outlive the swift-metrics value.
    public func destroyTimer(_ handler: any TimerHandler) {}
}
