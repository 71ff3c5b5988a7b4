import SLOWatchCore

extension SampleRecorder {
    /// Checks `batch` as ``record(_:into:arrivalMilliseconds:)`` does, and resolves every metric to a
    /// handle, registering the new ones all together (or none), before anything is journaled: errors are
    /// answered as without a journal, and nothing invalid reaches it.
    /// - Parameter arrivalMilliseconds: the request's wall-clock reading, ms since the epoch.
    /// - Throws: 400 `invalid_request` for a sample timestamped too far ahead; 422
    ///   `metric_limit_reached` or `memory_limit_reached` when the new metrics do not fit.
    static func resolve(_ batch: SampleBatch, in registry: MetricsRegistry, arrivalMilliseconds: Double)
        throws(APIError) -> [MetricHandle]
    {
        try checkTimestamps(
            batch, now: arrivalMilliseconds,
            limitMilliseconds: registry.configuration.maxFutureSkewMilliseconds)
        return try handles(for: batch, in: registry)
    }

    /// Applies journal record `sequence`'s samples: each metric's run under one acquisition of its lock,
    /// through `handles` (one per name of `grouped`) or, at replay or when a DELETE unregistered a
    /// metric since, through a fresh handle, registering it anew as samples
    /// arriving after the DELETE would. Runs at start, when the journal is replayed (the live paths apply
    /// through ``SamplesPayload/apply(_:handles:into:sequence:)``).
    /// - Returns: how many samples were recorded, and the first refusal (a full registry), if any.
    @discardableResult
    static func apply(
        _ grouped: GroupedSamples, handles: [MetricHandle]?, into registry: MetricsRegistry, sequence: UInt64,
        skip: (String) -> Bool = { _ in false }
    ) -> (recorded: Int, refusal: MetricsError?) {
        var recorded = 0
        var refusal: MetricsError?
        grouped.samples.withUnsafeBufferPointer { all in
            for index in grouped.names.indices {
                let name = grouped.names[index]
                if skip(name) { continue }
                let run = UnsafeBufferPointer(
                    rebasing: all[grouped.starts[index]..<grouped.starts[index + 1]])
                do throws(MetricsError) {
                    do throws(MetricsError) {
                        let handle: MetricHandle
                        if let handles {
                            handle = handles[index]
                        } else {
                            handle = try registry.handle(for: name)
                        }
                        try registry.record(handle, samples: run, sequence: sequence)
                    } catch  where error.kind == .unknownMetric {
                        try registry.record(registry.handle(for: name), samples: run, sequence: sequence)
                    }
                    recorded += run.count
                } catch {
                    if refusal == nil { refusal = error }
                }
            }
        }
        return (recorded, refusal)
    }
}
