import Synchronization

/// One metric's ring behind a `Mutex` (the peer is what a Swift user would pick: the standard library lock).
final class MetricSeries: Sendable {
    private let ring: Mutex<RingBuffer>

    init(capacity: Int) {
        self.ring = Mutex(RingBuffer(capacity: capacity))
    }

    /// Records one sample (`value` in ms, `timestamp` in ms since the epoch).
    func append(value: Double, timestamp: Double) {
        ring.withLock { $0.append(value: value, timestamp: timestamp) }
    }

    /// A copy of the current values, taken under the lock; callers sort it outside the lock.
    func snapshotValues() -> [Double] {
        ring.withLock { ring in ring.entries.map(\.value) }
    }
}

/// Every metric's series by name; a metric is created on its first sample and never removed.
final class SampleStore: Sendable {
    /// Samples kept per metric, the same window as slowatch's default ring.
    static let capacity = 10_000
    private let series = Mutex<[String: MetricSeries]>([:])

    /// The series of `name`, or nil when no sample for it was ever recorded.
    func series(named name: String) -> MetricSeries? {
        series.withLock { $0[name] }
    }

    /// Records one sample into `metric`'s series, creating the series if needed.
    func record(metric: String, value: Double, timestamp: Double) {
        let target = series.withLock { dict -> MetricSeries in
            if let existing = dict[metric] { return existing }
            let created = MetricSeries(capacity: Self.capacity)
            dict[metric] = created
            return created
        }
        target.append(value: value, timestamp: timestamp)
    }
}
