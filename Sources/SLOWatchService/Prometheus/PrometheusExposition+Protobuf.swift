import SLOWatchCore

extension PrometheusExposition {
    /// The native-histogram family: one cumulative histogram per metric, labels `metric` and `unit`.
    /// Its name cannot clash with the text format's families: none of them is named
    /// `slowatch_sample_histogram` or starts with it (Prometheus also reserves its `_count`, `_sum` and
    /// `_bucket` series, which no other family uses).
    static let nativeHistogramFamily = "slowatch_sample_histogram"

    /// Renders the protobuf exposition for `service` now: every family of the text format (same
    /// names, labels and values), then ``nativeHistogramFamily`` with the cumulative histogram of each
    /// metric that has counted a sample in its history (``MetricsRegistry/cumulativeTotals()``). A
    /// metric with none yet is left out: Prometheus 2.42 would read an empty native histogram as a
    /// classic one.
    static func renderProtobuf(_ service: SLOWatchService) -> [UInt8] {
        let metrics = service.registry.list()
        let statuses = service.monitor.statuses
        var writer = PrometheusProtobufWriter()
        writeFamilies(of: service, metrics: metrics, statuses: statuses, to: &writer)
        writeNativeHistograms(service.registry.cumulativeTotals(), to: &writer)
        return writer.finish()
    }

    /// The ``nativeHistogramFamily`` family of `totals`.
    static func writeNativeHistograms(
        _ totals: [MetricsRegistry.CumulativeTotal], to writer: inout PrometheusProtobufWriter
    ) {
        writer.nativeHistogramFamily(
            nativeHistogramFamily,
            help:
                "Every sample each metric's history counted since it was registered (kept across restarts "
                + "by the snapshot), in the metric's unit (label unit), as a native histogram at the "
                + "history's scale; samples history kept out as late or future are not in it.")
        for total in totals where !total.histogram.isEmpty {
            writer.nativeHistogram(
                nativeHistogramFamily,
                labels: ["metric": total.definition.name, "unit": total.definition.unit], total.histogram)
        }
    }
}
