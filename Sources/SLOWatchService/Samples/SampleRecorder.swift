import SLOWatchCore

/// Records checked samples all together: the metrics are resolved first, so a full registry is found
/// before anything is recorded.
enum SampleRecorder {
    /// Records a batch, registering unknown metrics on the way.
    ///
    /// Each distinct metric is resolved to a handle first (registering it when new); only when every
    /// one resolved are the samples recorded, through the handles. When the registry is full, the
    /// metrics of the batch that were new before the full one stay registered, empty: nothing is
    /// recorded, and unregistering them here could race with another client recording into them.
    /// - Parameters:
    ///   - batch: checked samples (see ``SampleBatchDecoder``).
    ///   - registry: where they go.
    ///   - arrivalMilliseconds: the timestamp of samples without one, ms since the epoch: one reading
    ///     per request, so a batch's untimed samples share it.
    /// - Returns: how many samples were recorded (all of them).
    /// - Throws: 422 `metric_limit_reached` when a new metric does not fit; nothing is recorded then.
    static func record(
        _ batch: SampleBatch, into registry: MetricsRegistry, arrivalMilliseconds: Double
    ) throws(APIError) -> Int {
        var handles: [MetricHandle?] = []
        handles.reserveCapacity(batch.metrics.count)
        for metric in batch.metrics {
            do {
                handles.append(try registry.handle(for: metric))
            } catch {
                throw APIError(error)
            }
        }
        for sample in batch.samples {
            let timestamp = sample.timestamp ?? arrivalMilliseconds
            do {
                if let handle = handles[sample.metric] {
                    try registry.record(handle, value: sample.value, timestamp: timestamp)
                } else {
                    try registry.record(
                        batch.metrics[sample.metric], value: sample.value, timestamp: timestamp)
                }
            } catch  where error.kind == .unknownMetric {
                // Unregistered by a concurrent DELETE since it was resolved: from now on record this
                // metric by name, which registers it again, as a sample arriving after the DELETE would.
                handles[sample.metric] = nil
                do {
                    try registry.record(
                        batch.metrics[sample.metric], value: sample.value, timestamp: timestamp)
                } catch {
                    throw APIError(error)
                }
            } catch {
                throw APIError(error)
            }
        }
        return batch.count
    }
}
