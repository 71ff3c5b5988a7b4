import SLOWatchCore

/// The body of `GET /metrics` for Prometheus: the text exposition format 0.0.4.
///
/// What it holds, each family with its HELP and TYPE lines:
/// - `slowatch_sample_value{metric,unit,quantile}`, a summary per metric over the samples its ring
///   buffer holds now: the exact nearest-rank quantiles 0.5, 0.9, 0.95, 0.99 and 0.999 (the same values
///   as `GET /metrics/{name}/percentiles`), with `_sum` and `_count`. Values stay in the metric's own
///   unit, named by the `unit` label. An empty metric has NaN quantiles, `_sum` 0 and `_count` 0.
/// - `slowatch_slo_violating`, `slowatch_slo_actual` and `slowatch_slo_threshold`, gauges per SLO
///   (`slo`, `metric`); `actual` is omitted while the SLO has too little data to be judged.
/// - counters: `slowatch_slo_violations_total{slo}`, `slowatch_samples_total`,
///   `slowatch_samples_dropped_total`, `slowatch_http_requests_total{code}`, the StatsD line counts and
///   the Alertmanager delivery counts (``PrometheusExposition/writeServiceCounters(of:to:)``);
/// - for error-budget SLOs, their budget, burn rates, event counts and firing tiers
///   (``PrometheusExposition/writeBudgets(_:to:)``);
/// - the conventional `process_*` gauges (``ProcessStats``).
enum PrometheusExposition {
    /// The `Content-Type` of the exposition.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The quantiles of a metric's summary with their `quantile` label values; NaN for an empty metric.
    static func quantiles(of summary: PercentileSummary) -> KeyValuePairs<String, Double> {
        [
            "0.5": summary.p50 ?? .nan, "0.9": summary.p90 ?? .nan, "0.95": summary.p95 ?? .nan,
            "0.99": summary.p99 ?? .nan, "0.999": summary.p999 ?? .nan,
        ]
    }

    /// Renders the whole exposition for `service` now.
    static func render(_ service: SLOWatchService) -> [UInt8] {
        let metrics = service.registry.list()
        let statuses = service.monitor.statuses
        var writer = PrometheusTextWriter(capacity: 4_096 + 640 * metrics.count + 320 * statuses.count)
        writeFamilies(of: service, metrics: metrics, statuses: statuses, to: &writer)
        return writer.bytes
    }

    /// Renders the whole exposition for `service` now as OpenMetrics 1.0.0 text
    /// (``OpenMetricsTextWriter``): the same families, labels and values as ``render(_:)``.
    static func renderOpenMetrics(_ service: SLOWatchService) -> [UInt8] {
        let metrics = service.registry.list()
        let statuses = service.monitor.statuses
        var writer = OpenMetricsTextWriter(capacity: 4_096 + 640 * metrics.count + 320 * statuses.count)
        writeFamilies(of: service, metrics: metrics, statuses: statuses, to: &writer)
        writer.finish()
        return writer.bytes
    }

    /// Every family of the text exposition, in its order, into `writer`.
    static func writeFamilies(
        of service: SLOWatchService, metrics: [MetricSummary], statuses: [SLOStatus],
        to writer: inout some PrometheusSampleWriter
    ) {
        writeMetrics(metrics, of: service, to: &writer)
        writeSLOs(statuses, violations: service.monitor.violationsEmittedBySLO, to: &writer)
        writeBudgets(statuses, to: &writer)
        writeServiceCounters(of: service, to: &writer)
        writeProcess(ProcessStats.current(), to: &writer)
    }

    /// The `slowatch_sample_value` summary of every metric, in name order.
    private static func writeMetrics(
        _ metrics: [MetricSummary], of service: SLOWatchService, to writer: inout some PrometheusSampleWriter
    ) {
        let name = "slowatch_sample_value"
        writer.family(
            name, type: .summary,
            help:
                "Exact nearest-rank quantiles of the samples each metric's ring buffer holds now, in the "
                + "metric's unit (label unit); _sum and _count cover the same samples.")
        for metric in metrics {
            // Read the definition with the samples: a DELETE and re-registration in between cannot pair
            // one metric's unit with another's samples; a metric deleted since the list is skipped.
            guard
                let (definition, summary) = try? service.registry.definedPercentiles(
                    for: metric.definition.name)
            else { continue }
            let metricName = definition.name
            let unit = definition.unit
            for (quantile, value) in quantiles(of: summary) {
                writer.sample(
                    name, labels: ["metric": metricName, "unit": unit, "quantile": quantile], value)
            }
            writer.sample(name + "_sum", labels: ["metric": metricName, "unit": unit], summary.sum ?? 0)
            writer.sample(
                name + "_count", labels: ["metric": metricName, "unit": unit], UInt64(summary.count))
        }
    }

    /// The per-SLO gauges and the violation counter.
    private static func writeSLOs(
        _ statuses: [SLOStatus], violations: [String: UInt64], to writer: inout some PrometheusSampleWriter
    ) {
        writer.family(
            "slowatch_slo_violating", type: .gauge,
            help: "1 while the SLO's last judged check found it breached, else 0.")
        for status in statuses {
            writer.sample(
                "slowatch_slo_violating", labels: ["slo": status.slo.id, "metric": status.slo.metric],
                status.violating ? 1.0 : 0.0)
        }
        writer.family(
            "slowatch_slo_actual", type: .gauge,
            help:
                "The SLO's percentile at its last check, in the SLO's unit; absent while there are too "
                + "few samples to judge it.")
        for status in statuses {
            guard let actual = status.lastActual else { continue }
            writer.sample(
                "slowatch_slo_actual", labels: ["slo": status.slo.id, "metric": status.slo.metric], actual)
        }
        writer.family(
            "slowatch_slo_threshold", type: .gauge,
            help: "The SLO's threshold, in the SLO's unit.")
        for status in statuses {
            writer.sample(
                "slowatch_slo_threshold", labels: ["slo": status.slo.id, "metric": status.slo.metric],
                status.slo.threshold)
        }
        writer.family(
            "slowatch_slo_violations_total", type: .counter,
            help:
                "Violation events emitted per SLO since the process started (removed SLOs keep their count).")
        var counts = violations
        for status in statuses { counts[status.slo.id, default: 0] += 0 }
        for (slo, count) in counts.sorted(by: { $0.key < $1.key }) {
            writer.sample("slowatch_slo_violations_total", labels: ["slo": slo], count)
        }
    }
}
