import SLOWatchCore

extension SampleRecorder {
    /// Refuses a whole batch, before anything is recorded, when one of its samples is timestamped more
    /// than `limitMilliseconds` ahead of `now`, naming the sample and the skew:
    /// `samples[2].timestamp: 1e+300 is … days ahead of the server clock; at most 5 minutes ahead is
    /// accepted.` The registry applies the same rule (``MetricsRegistry/Configuration/maxFutureSkewMilliseconds``)
    /// to every source; this check only gives a body's refusal its sample index and keeps the batch
    /// all or nothing.
    /// - Parameters:
    ///   - batch: checked samples; those without a timestamp take `now` and always pass.
    ///   - now: the server's wall-clock reading for the request, ms since the epoch.
    ///   - limitMilliseconds: the most a timestamp may be ahead of `now`, in ms.
    /// - Throws: 400 `invalid_request` for the first such sample.
    static func checkTimestamps(_ batch: SampleBatch, now: Double, limitMilliseconds: Double) throws(APIError)
    {
        for (index, sample) in batch.samples.enumerated() {
            guard let timestamp = sample.timestamp, timestamp - now > limitMilliseconds else { continue }
            let field = batch.count == 1 ? "timestamp" : "samples[\(index)].timestamp"
            let rule = MetricsError.futureRule(
                aheadMilliseconds: timestamp - now, limitMilliseconds: limitMilliseconds)
            throw .invalidRequest("\(field): \(JSONFields.describe(timestamp)) \(rule).")
        }
    }
}
