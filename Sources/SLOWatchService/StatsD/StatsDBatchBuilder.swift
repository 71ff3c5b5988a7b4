/// Gathers the samples of many StatsD lines into one ``SampleBatch``, naming each metric once, so that a
/// datagram, a TCP read or a `text/plain` body reaches the registry in one call.
struct StatsDBatchBuilder {
    /// The samples so far; untimed, so they are stamped with the arrival time when recorded.
    private(set) var batch = SampleBatch()
    /// How many lines went into each metric of ``batch`` (by metric index), to count the lines of a
    /// metric the registry refuses.
    private(set) var linesPerMetric: [Int] = []
    /// Each metric's index in ``batch``.
    private var slots: [String: Int] = [:]

    /// An empty builder.
    init() {}

    /// Adds the samples of a parsed line of a sample type.
    /// - Parameters:
    ///   - line: the parsed line.
    ///   - bytes: the buffer it was parsed from.
    mutating func append(_ line: StatsDLine, in bytes: UnsafeBufferPointer<UInt8>) {
        let name = line.name(in: bytes)
        let metric: Int
        if let known = slots[name] {
            metric = known
        } else {
            metric = batch.metrics.count
            batch.metrics.append(name)
            linesPerMetric.append(0)
            slots[name] = metric
        }
        linesPerMetric[metric] += 1
        line.forEachValue(in: bytes) { value in
            batch.samples.append(SampleBatch.Sample(metric: metric, value: value, timestamp: nil))
        }
    }

    /// Empties the builder, keeping its storage for the next datagram.
    mutating func removeAll() {
        batch.metrics.removeAll(keepingCapacity: true)
        batch.samples.removeAll(keepingCapacity: true)
        linesPerMetric.removeAll(keepingCapacity: true)
        slots.removeAll(keepingCapacity: true)
    }
}
