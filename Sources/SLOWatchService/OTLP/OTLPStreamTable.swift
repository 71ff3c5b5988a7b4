import SLOWatchCore
import SLOWatchSync

/// The last reading of every cumulative OTLP histogram stream, so that each new reading is turned into
/// the samples counted since the previous one (``difference(_:key:startMilliseconds:)``).
///
/// A stream is the resource's attributes, the scope, the metric name and the point's attributes
/// (``OTLPStreamKey``). The table is bounded by ``maximumStreams`` entries and ``maximumBytes`` bytes
/// of stored histograms: past either, the least recently updated streams are evicted (down to seven
/// eighths of the limit, so evictions come in batches) and counted in ``evictions``. An evicted
/// stream's next reading is taken as a baseline (see the rule below). Thread-safe: one lock over the
/// table, held for one lookup and update per point.
///
/// **Rule for a reading.**
/// - The same start time as the stored reading, and nothing went down: the difference counts.
/// - A new start time, or a count, zero count or bucket that went down: a reset. The reading counts
///   whole, since the new series began after the old one was read.
/// - A stream seen for the first time counts whole when its start time is at or after the table's
///   creation (the series began while slowatch was running, so nothing of it was counted before);
///   otherwise it is only the baseline (it may have been counted by this process before a restart, or
///   before it was evicted).
final class OTLPStreamTable: Sendable {
    /// The most streams kept: 100,000.
    static let maximumStreams = 100_000
    /// The most bytes of stored histograms kept: 64 MiB.
    static let maximumBytes = 64 << 20

    private struct Entry {
        var startMilliseconds: Double
        var reading: ExponentialHistogram
        var used: UInt64
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var bytes = 0
        var tick: UInt64 = 0
        var evictions: UInt64 = 0
    }

    private let state = PThreadLock(State())
    /// The wall-clock time the table was made, ms since the epoch.
    let createdMilliseconds: Double
    private let limits: (streams: Int, bytes: Int)

    /// An empty table created at `nowMilliseconds` (ms since the epoch), with its limits (the defaults
    /// unless a test asks for smaller ones).
    init(nowMilliseconds: Double, maximumStreams: Int = maximumStreams, maximumBytes: Int = maximumBytes) {
        createdMilliseconds = nowMilliseconds
        limits = (max(1, maximumStreams), max(1, maximumBytes))
    }

    /// Streams evicted to keep the limits, since the table was made.
    var evictions: UInt64 { state.withLock { $0.evictions } }
    /// Streams held.
    var count: Int { state.withLock { $0.entries.count } }

    /// The samples of the cumulative reading `reading` of stream `key` (series started at
    /// `startMilliseconds`, ms since the epoch) that were not counted yet, by the rule above, and
    /// keeps `reading` as the stream's last one.
    func difference(_ reading: ExponentialHistogram, key: String, startMilliseconds: Double)
        -> ExponentialHistogram
    {
        state.withLock { state in
            state.tick &+= 1
            let previous = state.entries[key]
            let entry = Entry(startMilliseconds: startMilliseconds, reading: reading, used: state.tick)
            state.bytes +=
                reading.allocatedBytes + key.utf8.count
                - (previous.map { $0.reading.allocatedBytes + key.utf8.count } ?? 0)
            state.entries[key] = entry
            if state.entries.count > limits.streams || state.bytes > limits.bytes { evict(&state) }
            guard let previous else {
                return startMilliseconds >= createdMilliseconds
                    ? reading : ExponentialHistogram(scale: reading.scale)
            }
            guard previous.startMilliseconds == startMilliseconds,
                let counted = reading.subtracting(previous.reading)
            else { return reading }
            return counted
        }
    }

    /// Evicts the least recently updated streams down to seven eighths of both limits.
    private func evict(_ state: inout State) {
        let streams = limits.streams - limits.streams / 8
        let bytes = limits.bytes - limits.bytes / 8
        let oldestFirst = state.entries.sorted { $0.value.used < $1.value.used }
        for (key, entry) in oldestFirst {
            guard state.entries.count > streams || state.bytes > bytes else { break }
            state.entries[key] = nil
            state.bytes -= entry.reading.allocatedBytes + key.utf8.count
            state.evictions &+= 1
        }
    }
}
