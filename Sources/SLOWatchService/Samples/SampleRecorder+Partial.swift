import SLOWatchCore

extension SampleRecorder {
    /// Resolves each metric of `batch` in `registry`, registering unknown ones, metric by metric: a
    /// metric the registry refuses (its `--max-metrics` limit is reached) gets `nil` and is reported.
    /// - Parameters:
    ///   - batch: checked samples.
    ///   - registry: where the metrics are resolved.
    ///   - refused: called once per refused metric with its index in `batch.metrics` and the reason.
    /// - Returns: one handle per metric of `batch.metrics`, in order; `nil` where refused.
    static func eachHandle(
        for batch: SampleBatch, in registry: MetricsRegistry, refused: (Int, MetricsError) -> Void
    ) -> [MetricHandle?] {
        var handles: [MetricHandle?] = []
        handles.reserveCapacity(batch.metrics.count)
        for (index, metric) in batch.metrics.enumerated() {
            do {
                handles.append(try registry.handle(for: metric))
            } catch {
                handles.append(nil)
                refused(index, error)
            }
        }
        return handles
    }

    /// Records a batch metric by metric: a metric the registry refuses (its `--max-metrics` limit is
    /// reached) loses its own samples only, and the others are recorded. For sources that cannot be
    /// answered with an error, such as a StatsD datagram.
    /// - Parameters:
    ///   - batch: checked samples.
    ///   - registry: where they go; unknown metrics are registered on the way.
    ///   - arrivalMilliseconds: the timestamp of samples without one, ms since the epoch.
    ///   - refused: called once per refused metric with its index in `batch.metrics` and the reason.
    /// - Returns: how many samples were recorded.
    static func recordEach(
        _ batch: SampleBatch, into registry: MetricsRegistry, arrivalMilliseconds: Double,
        refused: (Int, MetricsError) -> Void
    ) -> Int {
        let handles = eachHandle(for: batch, in: registry, refused: refused)
        var recorded = 0
        withGrouped(batch, arrivalMilliseconds: arrivalMilliseconds) { metric, samples in
            guard let handle = handles[metric] else { return }
            do throws(MetricsError) {
                do throws(MetricsError) {
                    try registry.record(handle, samples: samples)
                } catch  where error.kind == .unknownMetric {
                    // Unregistered by a concurrent DELETE since it was resolved: register it anew, as
                    // samples arriving after the DELETE would be.
                    try registry.record(registry.handle(for: batch.metrics[metric]), samples: samples)
                }
                recorded += samples.count
            } catch {
                refused(metric, error)
            }
        }
        return recorded
    }
}
