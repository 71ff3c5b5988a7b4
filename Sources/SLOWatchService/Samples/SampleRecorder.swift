import SLOWatchCore

/// Records checked samples all together: the metrics are resolved first, so a full registry is found
/// before anything is recorded; then each metric's samples go in under one acquisition of its lock.
enum SampleRecorder {
    /// Records a batch, registering unknown metrics on the way.
    ///
    /// Every distinct metric is resolved to a handle first: the unknown ones are registered all
    /// together or, when they do not all fit the metric limit or the memory budget, none of them. Only
    /// when every one resolved are the samples recorded. Each metric's samples keep their body order.
    /// - Parameters:
    ///   - batch: checked samples (see ``SampleBatchDecoder``).
    ///   - registry: where they go.
    ///   - arrivalMilliseconds: the timestamp of samples without one, ms since the epoch: one reading
    ///     per request, so a batch's untimed samples share it.
    /// - Returns: how many samples were recorded (all of them).
    /// - Throws: 400 `invalid_request` naming the first sample timestamped too far ahead of
    ///   `arrivalMilliseconds` (``checkTimestamps(_:now:limitMilliseconds:)``); 422 `metric_limit_reached`
    ///   or `memory_limit_reached` when the new metrics do not fit; nothing is recorded or registered then.
    ///   One narrow exception: when a metric of the batch is deleted concurrently and, re-registering it,
    ///   the registry turns out to be full, the metrics recorded before it keep their samples (each
    ///   metric's samples go in all at once or not at all).
    static func record(
        _ batch: SampleBatch, into registry: MetricsRegistry, arrivalMilliseconds: Double
    ) throws(APIError) -> Int {
        try checkTimestamps(
            batch, now: arrivalMilliseconds,
            limitMilliseconds: registry.configuration.maxFutureSkewMilliseconds)
        let handles = try self.handles(for: batch, in: registry)
        try withGrouped(batch, arrivalMilliseconds: arrivalMilliseconds) {
            (metric, samples) throws(APIError) in
            do throws(MetricsError) {
                try registry.record(handles[metric], samples: samples)
            } catch  where error.kind == .unknownMetric {
                // Unregistered by a concurrent DELETE since it was resolved: resolve it again, which
                // registers it anew, as samples arriving after the DELETE would.
                do throws(MetricsError) {
                    try registry.record(registry.handle(for: batch.metrics[metric]), samples: samples)
                } catch {
                    throw APIError(error)
                }
            } catch {
                throw APIError(error)
            }
        }
        return batch.count
    }

    /// One handle per metric of `batch`, in order: those its decoder found in the thread's
    /// ``SampleHandleCache`` as they are, the others from the registry, registering the unknown ones all
    /// together or none. Those found in the registry are then cached for the thread's next bodies.
    ///
    /// The decoder's handles are current as of the registration version it read
    /// (``SampleBatch/handlesVersion``). When a registration or a DELETE came since, every name goes to
    /// the registry, so a batch that raced a DELETE is still registered all together or not at all.
    /// - Throws: 422 `metric_limit_reached` or `memory_limit_reached` when the new metrics do not fit
    ///   (nothing is registered then); 400 when auto-registration is off and a name is unknown.
    static func handles(for batch: SampleBatch, in registry: MetricsRegistry) throws(APIError)
        -> [MetricHandle]
    {
        // Decoded without a cache (StatsD lines, OTLP, the tree decoder): the registry resolves them all.
        guard batch.handles.count == batch.metrics.count else {
            return try registryHandles(for: batch.metrics, in: registry)
        }
        let found =
            registry.registrationVersion == batch.handlesVersion
            ? batch.handles : Array(repeating: nil, count: batch.metrics.count)
        var missing: [String] = []
        for (index, handle) in found.enumerated() where handle == nil { missing.append(batch.metrics[index]) }
        if missing.isEmpty { return found.compactMap { $0 } }
        let resolved = try registryHandles(for: missing, in: registry)
        var handles: [MetricHandle] = []
        handles.reserveCapacity(batch.metrics.count)
        var next = resolved.makeIterator()
        for known in found {
            guard let handle = known ?? next.next() else { break }
            handles.append(handle)
        }
        guard handles.count == batch.metrics.count else {
            // Unreachable (the registry answers one handle per name); resolved afresh rather than trusted.
            return try registryHandles(for: batch.metrics, in: registry)
        }
        // Cached only when current as of the version the cache now holds, so a DELETE that raced with
        // this body leaves nothing stale behind.
        let cache = SampleHandleCache.current(for: registry)
        for handle in handles where registry.isCurrent(handle) { cache.insert(handle) }
        return handles
    }

    /// `registry.handles(for: names)`, its error as the API's.
    private static func registryHandles(for names: [String], in registry: MetricsRegistry) throws(APIError)
        -> [MetricHandle]
    {
        do {
            return try registry.handles(for: names)
        } catch {
            throw APIError(error)
        }
    }

    /// Calls `body` once per metric of the batch with that metric's samples, in body order, laid out
    /// contiguously by a counting sort (linear in the batch). The scratch is a temporary allocation (on
    /// the stack when small), so a request allocates nothing here.
    static func withGrouped<Failure: Error>(
        _ batch: SampleBatch, arrivalMilliseconds: Double,
        _ body: (Int, UnsafeBufferPointer<RecentSample>) throws(Failure) -> Void
    ) throws(Failure) {
        guard batch.count > 0 else { return }
        if batch.metrics.count == 1 || batch.count <= 1 {
            try withUnsafeTemporaryAllocation(of: RecentSample.self, capacity: batch.count) {
                (samples) throws(Failure) in
                for (index, sample) in batch.samples.enumerated() {
                    samples.initializeElement(
                        at: index,
                        to: RecentSample(
                            value: sample.value, timestamp: sample.timestamp ?? arrivalMilliseconds))
                }
                try body(0, UnsafeBufferPointer(samples))
            }
            return
        }
        // starts[m] is where metric m's run begins; filled[m] how much of it is written so far.
        let metrics = batch.metrics.count
        try withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * (metrics + 1)) {
            (scratch) throws(Failure) in
            let starts = UnsafeMutableBufferPointer(rebasing: scratch[0...metrics])
            let filled = UnsafeMutableBufferPointer(rebasing: scratch[(metrics + 1)...])
            starts.initialize(repeating: 0)
            for sample in batch.samples { starts[sample.metric + 1] += 1 }
            for metric in 0..<metrics { starts[metric + 1] += starts[metric] }
            _ = filled.initialize(from: starts)
            try withUnsafeTemporaryAllocation(of: RecentSample.self, capacity: batch.count) {
                (grouped) throws(Failure) in
                for sample in batch.samples {
                    grouped.initializeElement(
                        at: filled[sample.metric],
                        to: RecentSample(
                            value: sample.value, timestamp: sample.timestamp ?? arrivalMilliseconds))
                    filled[sample.metric] += 1
                }
                let buffer = UnsafeBufferPointer(grouped)
                for metric in 0..<metrics where starts[metric + 1] > starts[metric] {
                    try body(
                        metric, UnsafeBufferPointer(rebasing: buffer[starts[metric]..<starts[metric + 1]]))
                }
            }
        }
    }
}
