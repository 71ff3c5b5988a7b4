import Logging
import SLOWatchCore

extension SLOWatchService {
    /// What a v2 snapshot restored.
    struct SnapshotRestore {
        var metrics = 0
        var samples = 0
        /// Where the journal's replay starts (0 without a snapshot).
        var start: UInt64 = 0
        /// The LSN the snapshot's SLOs hold.
        var sloSequence: UInt64 = 0
        /// The newest event sequence handed out before the snapshot.
        var lastEventSequence: UInt64 = 0
    }

    /// Streams the metrics of the v2 snapshot of `durable` into `registry`, one record at a time: each
    /// metric's definition, its history and budget counters (which then hold the samples, so those go
    /// into the ring only; a file without them puts the samples into the history as they are
    /// recorded), its samples chunk by chunk, then its counters and applied LSN. Samples the
    /// writer skipped (overwritten while it copied) are added to the metric's overflow counter, so
    /// replaying the journal on top gives the counters of the metric at the snapshot's cut.
    ///
    /// Damage after the header keeps the metrics restored whole before it (a metric cut short is
    /// removed again, so replay cannot double its samples), moves the file aside and logs an error.
    static func restoreSnapshot(_ durable: DurableState?, into registry: MetricsRegistry, logger: Logger)
        -> SnapshotRestore
    {
        guard let durable, let header = durable.recovered.snapshotHeader else { return SnapshotRestore() }
        var restored = SnapshotRestore(
            start: header.start, sloSequence: header.sloSequence, lastEventSequence: header.lastEventSequence)
        let path = durable.directory.path(of: DurableState.snapshotName)
        var current: OpenMetric?
        var problem: String?
        do {
            guard let reader = try FileReader(path: path) else { return restored }
            _ = try reader.read(SnapshotRecord.magic.count)
            _ = try SnapshotRecord.next(reader)
            reading: while true {
                guard let record = try SnapshotRecord.next(reader) else {
                    problem = "it ends without its trailer"
                    break
                }
                switch record {
                case .header:
                    problem = "a second header"
                    break reading
                case .metric(let metric):
                    if let open = current, open.samples != open.metric.sampleCount {
                        problem = "the samples of \(open.metric.definition.name) are cut short"
                        break reading
                    }
                    if let cutShort = restoreHistory(of: &current, registry: registry, logger: logger) {
                        problem = cutShort
                        break reading
                    }
                    finish(current, registry: registry, into: &restored)
                    current = nil
                    guard metric.sampleCount <= metric.recorded else {
                        problem = "\(metric.definition.name) holds more samples than it recorded"
                        break reading
                    }
                    current = OpenMetric(
                        metric: metric, handle: open(metric.definition, registry: registry, logger: logger))
                case .history, .historyPieces, .historyTotal, .budgetCounter, .budgetSlots:
                    guard var open = current, open.samples == 0 else {
                        problem = "a history record belongs to no metric"
                        break reading
                    }
                    if let misplaced = open.history.take(record) {
                        problem = "\(misplaced) (\(open.metric.definition.name))"
                        break reading
                    }
                    current = open
                case .chunk(let samples):
                    if let cutShort = restoreHistory(of: &current, registry: registry, logger: logger) {
                        problem = cutShort
                        break reading
                    }
                    guard var open = current, open.samples + UInt64(samples.count) <= open.metric.sampleCount
                    else {
                        problem = "a chunk of samples belongs to no metric"
                        break reading
                    }
                    if let handle = open.handle {
                        samples.withUnsafeBufferPointer { samples in
                            // The restored history and counters hold these samples already.
                            if open.history.historyTaken {
                                try? registry.restoreSamples(handle, samples: samples)
                            } else {
                                try? registry.record(handle, samples: samples)
                            }
                        }
                    }
                    open.samples += UInt64(samples.count)
                    current = open
                case .skipped(let count):
                    if let cutShort = restoreHistory(of: &current, registry: registry, logger: logger) {
                        problem = cutShort
                        break reading
                    }
                    guard var open = current, count <= open.metric.sampleCount - open.samples else {
                        problem = "skipped samples belong to no metric"
                        break reading
                    }
                    open.samples += count
                    open.skipped += count
                    current = open
                case .trailer(let metrics, let samples):
                    if let open = current, open.samples != open.metric.sampleCount {
                        problem = "the samples of \(open.metric.definition.name) are cut short"
                        break reading
                    }
                    if let cutShort = restoreHistory(of: &current, registry: registry, logger: logger) {
                        problem = cutShort
                        break reading
                    }
                    finish(current, registry: registry, into: &restored)
                    current = nil
                    if metrics != UInt64(restored.metrics) || samples != UInt64(restored.samples) {
                        problem = "its trailer counts \(metrics) metrics and \(samples) samples"
                    }
                    break reading
                }
            }
        } catch let failure as BinaryReader.Failure {
            problem = "\(failure.what) cannot be read"
        } catch {
            problem = "\(error)"
        }
        if let problem {
            // A metric cut short would replay samples its partial copy already holds.
            if let open = current { try? registry.unregister(open.metric.definition.name) }
            let aside = (try? durable.directory.moveAside(DurableState.snapshotName)) ?? path
            logger.error(
                "The snapshot \(path) is damaged (\(problem)); moved it to \(aside), kept the \(restored.metrics) metrics before the damage and replayed the journal."
            )
        }
        return restored
    }

    /// Registers (or replaces) `definition` for a snapshot's metric.
    private static func open(_ definition: MetricDefinition, registry: MetricsRegistry, logger: Logger)
        -> MetricHandle?
    {
        do throws(MetricsError) {
            try registry.upsert(definition)
            return try registry.handle(for: definition.name)
        } catch {
            logger.error("The snapshot's metric \(definition.name) is not restored: \(error.message)")
            return nil
        }
    }

    /// Restores the history and budget counters read for `current` (once, before its first sample or
    /// at its end), logging what the registry could not restore.
    /// - Returns: the problem when they are cut short (the file is damaged then); nil otherwise.
    private static func restoreHistory(
        of current: inout OpenMetric?, registry: MetricsRegistry, logger: Logger
    )
        -> String?
    {
        guard var open = current, !open.history.isRestored else { return nil }
        let name = open.metric.definition.name
        guard open.history.isComplete else { return "the history of \(name) is cut short" }
        if open.handle == nil {
            open.history.isRestored = true
        } else {
            for problem in open.history.restore(into: registry, metric: name) { logger.error("\(problem)") }
        }
        current = open
        return nil
    }

    /// A snapshot's metric being restored.
    private struct OpenMetric {
        /// Its record.
        var metric: SnapshotRecord.Metric
        /// Where its samples go; nil when it could not be registered.
        var handle: MetricHandle?
        /// Its samples read so far, skipped ones included (at most `metric.sampleCount`).
        var samples: UInt64 = 0
        /// Its skipped samples read so far.
        var skipped: UInt64 = 0
        /// Its history and budget counters, read before its samples.
        var history = SnapshotHistoryReading()
    }

    /// Sets the counters and applied LSN of a metric whose samples were all restored, and counts it.
    private static func finish(
        _ current: OpenMetric?, registry: MetricsRegistry, into restored: inout SnapshotRestore
    ) {
        guard let current, current.handle != nil else { return }
        registry.restoreCounters(
            of: current.metric.definition.name, recorded: current.metric.recorded,
            overflow: current.metric.overflow &+ current.skipped,
            appliedSequence: current.metric.appliedSequence)
        restored.metrics += 1
        restored.samples += Int(current.samples - current.skipped)
    }
}
