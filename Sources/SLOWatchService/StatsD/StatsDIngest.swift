import Logging
import SLOWatchCore

/// Turns the lines the listener receives into recorded samples and counts: each datagram (or each TCP
/// read) goes to the registry in one batch, and every line is counted as accepted, rejected or bad.
///
/// Not thread-safe: owned by the listener's thread.
struct StatsDIngest {
    /// Where the line came in, for log lines.
    enum Transport: String {
        case udp = "UDP"
        case tcp = "TCP"
    }

    private let registry: MetricsRegistry
    private let counters: ServiceCounters
    private let wallClock: any WallClock
    /// With `--data-dir`, each batch is journaled before it is recorded (on the journal's writer thread).
    private let journal: Journal?
    private var builder = StatsDBatchBuilder()
    /// Problem lines are logged through it, at a bounded rate.
    var log: StatsDLogLimiter

    /// - Parameters:
    ///   - registry: where samples go.
    ///   - counters: the accepted, rejected, bad and sample counts.
    ///   - wallClock: stamps each batch with its arrival time, in ms since the epoch.
    ///   - log: logs problems at a bounded rate.
    ///   - journal: where batches are journaled first, with `--data-dir`; nil records them directly.
    init(
        registry: MetricsRegistry, counters: ServiceCounters, wallClock: any WallClock,
        log: StatsDLogLimiter, journal: Journal? = nil
    ) {
        self.journal = journal
        self.registry = registry
        self.counters = counters
        self.wallClock = wallClock
        self.log = log
    }

    /// Adds every `\n`-separated line of `bytes` (a datagram) to the batch.
    /// - Parameter now: the monotonic time, in ns, for the log's rate limit.
    mutating func add(lines bytes: UnsafeBufferPointer<UInt8>, from transport: Transport, now: UInt64) {
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            add(line: UnsafeBufferPointer(rebasing: bytes[start..<end]), from: transport, now: now)
            start = end + 1
        }
    }

    /// Adds one line (without its `\n`) to the batch, or counts why it is not taken.
    /// - Parameter now: the monotonic time, in ns, for the log's rate limit.
    mutating func add(line: UnsafeBufferPointer<UInt8>, from transport: Transport, now: UInt64) {
        do {
            if let parsed = try StatsDLineParser.parse(line) { builder.append(parsed, in: line) }
        } catch {
            refuse(error, line: line, from: transport, now: now)
        }
    }

    /// Counts a line that was not taken, and logs it (bad lines at debug level, counters and sets too:
    /// both are the client's choice, not the server's problem).
    /// - Parameters:
    ///   - line: the line's bytes (only its start is shown).
    ///   - now: the monotonic time, in ns.
    mutating func refuse(
        _ fault: StatsDLineFault, line: UnsafeBufferPointer<UInt8>, from transport: Transport, now: UInt64
    ) {
        if fault.isBad {
            ServiceCounters.add(1, to: counters.statsdLinesBad)
        } else {
            ServiceCounters.add(1, to: counters.statsdLinesRejected)
        }
        log.log(.debug, now: now) {
            let shown = String(decoding: UnsafeBufferPointer(rebasing: line.prefix(256)), as: UTF8.self)
            let kind = fault.isBad ? "bad" : "rejected"
            return
                "StatsD line over \(transport.rawValue) \(kind) (\(MessageText.quoted(shown, limit: 60))): "
                + "\(fault.reason)."
        }
    }

    /// Records the batch gathered since the last commit in one registry call, stamped with the arrival
    /// time now, and counts its lines; the lines of a metric the registry refuses (its limit is
    /// reached) are counted as rejected, and the others are still recorded.
    /// - Parameter now: the monotonic time, in ns.
    mutating func commit(now: UInt64) {
        defer { builder.removeAll() }
        guard builder.batch.count > 0 else { return }
        // Refusals are gathered and logged afterwards, so the batch is not copied while recording.
        var refused: [(metric: Int, error: MetricsError)] = []
        let recorded: Int
        if let journal {
            recorded = journalBatch(journal) { refused.append(($0, $1)) }
        } else {
            recorded = SampleRecorder.recordEach(
                builder.batch, into: registry, arrivalMilliseconds: wallClock.nowMilliseconds()
            ) { refused.append(($0, $1)) }
        }
        var refusedLines = 0
        for (metric, error) in refused {
            refusedLines += builder.linesPerMetric[metric]
            let name = builder.batch.metrics[metric]
            log.log(.warning, now: now) { "StatsD lines for \(name) rejected: \(error.message)." }
        }
        let lines = builder.linesPerMetric.reduce(0, +)
        ServiceCounters.add(recorded, to: counters.samplesAccepted)
        ServiceCounters.add(lines - refusedLines, to: counters.statsdLinesAccepted)
        ServiceCounters.add(refusedLines, to: counters.statsdLinesRejected)
    }

    /// Hands the batch to the journal, to be recorded once written: StatsD has no answer to wait for,
    /// so it is best effort (a batch the journal refuses or fails to write is lost, and logged).
    /// - Parameter refused: called once per metric the registry refuses (its limit is reached).
    /// - Returns: how many samples were handed over (counted as accepted when recorded).
    private mutating func journalBatch(_ journal: Journal, refused: (Int, MetricsError) -> Void) -> Int {
        let batch = builder.batch
        let handles = SampleRecorder.eachHandle(for: batch, in: registry, refused: refused)
        let encoded = SamplesPayload.encode(
            batch, arrivalMilliseconds: wallClock.nowMilliseconds(), includes: { handles[$0] != nil })
        let kept = (encoded.kept ?? Array(handles.indices)).compactMap { handles[$0] }
        guard !kept.isEmpty else { return 0 }
        let registry = self.registry
        let counters = self.counters
        let payload = encoded.payload
        let queued = journal.submit(payload) { sequence in
            guard let sequence else { return }
            let recorded = SamplesPayload.apply(payload, handles: kept, into: registry, sequence: sequence)
                .recorded
            ServiceCounters.add(recorded, to: counters.samplesAccepted)
        }
        if !queued {
            journal.logger.warning(
                "A StatsD batch of \(batch.count) samples was dropped: the journal cannot take it.")
        }
        return 0
    }
}
