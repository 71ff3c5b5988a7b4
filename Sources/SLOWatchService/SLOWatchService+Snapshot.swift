import Logging
import SLOWatchCore

extension SLOWatchService {
    /// Above this many samples in all, a graceful shutdown writes no snapshot (the journal holds every
    /// change, and a sync of it is enough), so a shutdown stays well within 10 s at any data size.
    static let shutdownSnapshotMaximumSamples = 4_000_000

    /// Writes a v2 snapshot (see ``SnapshotRecord``), streamed metric by metric, then deletes the journal
    /// segments and v1 files it replaces. Does nothing without a data directory. Blocks on the disk:
    /// call it on the durable lane, or from ``stop()``.
    ///
    /// The journal is first rotated to a new segment at S0; every change before S0 has been applied,
    /// so the snapshot holds it. Each metric is cut under its own lock with the LSN of the newest
    /// record applied to it, so replay from S0 skips what the copy already holds: ingest goes on
    /// meanwhile and nothing is lost or doubled. Its samples are then copied in chunks of
    /// ``SnapshotRecord/chunkSamples``, one lock hold each (see
    /// `MetricsRegistry.copyForSnapshot(of:chunkSamples:betweenChunks:_:)`); those overwritten meanwhile
    /// are written as skipped. Peak extra memory: a few MiB (a 1 MiB copy buffer, its encoded chunk and
    /// the writer's 1 MiB buffer), whatever the size of the rings.
    /// - Parameter reason: why, for the log line (`shutdown`, `interval`).
    /// Every attempt is reported to the data directory's ``StorageHealth`` (`.snapshot`), which logs a
    /// failure once when it starts and once when it ends.
    /// - Returns: what was not saved, or nil when the snapshot was written (or there is no data
    ///   directory). With the journal, a failed snapshot loses nothing: the journal is kept until one
    ///   is written.
    @discardableResult
    func writeSnapshot(reason: String) -> SnapshotFailure? {
        guard let durable else { return nil }
        // The timer's and the shutdown's snapshots take turns.
        return durable.snapshotWrites.withLock { written in
            let failure = writeSnapshot(reason: reason, durable)
            if failure == nil { written += 1 }
            return failure
        }
    }

    /// ``writeSnapshot(reason:)`` with its turn taken.
    private func writeSnapshot(reason: String, _ durable: DurableState) -> SnapshotFailure? {
        guard let journal else { return nil }
        let started = monotonicClock.nowNanoseconds()
        guard let start = journal.rotate() else { return nil }
        // Events up to the snapshot's sequence are on disk whenever the snapshot is.
        durable.log.sync()
        let (slos, sloSequence, summaries) = sloEdits.withLock { _ in
            (monitor.slos, durable.sloSequence.withLock { $0 }, registry.list())
        }
        let names = summaries.map(\.definition.name)
        let header = SnapshotRecord.Header(
            start: start, sloSequence: sloSequence, lastEventSequence: bus.lastSequence, slos: slos)
        var counts = (metrics: UInt64(0), samples: UInt64(0))
        do throws(DataDirectoryError) {
            var writer = try SnapshotWriter(directory: durable.directory)
            do throws(DataDirectoryError) {
                try writer.append(.header(header))
                for name in names {
                    // A metric deleted since the listing is left out.
                    guard let written = try writeMetric(name, to: &writer, durable) else { continue }
                    counts.metrics += 1
                    counts.samples += written
                }
                try writer.append(.trailer(metrics: counts.metrics, samples: counts.samples))
                try writer.commit()
            } catch {
                writer.abandon()
                throw error
            }
        } catch {
            durable.health.failed(.snapshot, reason: error.message)
            return SnapshotFailure(
                occasion: reason, metrics: summaries.count, samples: summaries.reduce(0) { $0 + $1.count },
                file: durable.directory.path(of: DurableState.snapshotName), cause: error.message)
        }
        durable.health.succeeded(.snapshot)
        journal.removeSegments(before: start)
        durable.directory.storage.remove(durable.directory.path(of: DefinitionsFile.fileName))
        let milliseconds = Double(monotonicClock.nowNanoseconds() &- started) / 1e6
        let level: Logger.Level = reason == "interval" ? .debug : .info
        let message =
            "Wrote the \(reason) snapshot: \(counts.metrics) metrics, \(counts.samples) samples, events up to "
            + "#\(header.lastEventSequence), journal from #\(start), to "
            + "\(durable.directory.path(of: DurableState.snapshotName)) in \(Int(milliseconds.rounded())) ms."
        logger.log(level: level, "\(message)")
        return nil
    }

    /// Writes metric `name`'s record, its history and budget counter records, then its chunks and
    /// skipped records, copied with a bounded buffer.
    /// - Returns: how many samples were written, or nil when the metric is gone (nothing written).
    /// - Throws: ``DataDirectoryError`` when writing fails or the shutdown cancelled the snapshot.
    private func writeMetric(_ name: String, to writer: inout SnapshotWriter, _ durable: DurableState)
        throws(DataDirectoryError) -> UInt64?
    {
        var written: UInt64 = 0
        let cut = try registry.copyForSnapshot(of: name, chunkSamples: SnapshotRecord.chunkSamples) {
            piece throws(DataDirectoryError) in
            switch piece {
            case .cut(let cut):
                try writer.append(
                    .metric(
                        .init(
                            definition: cut.definition, appliedSequence: cut.appliedSequence,
                            recorded: cut.recorded, overflow: cut.overflow, sampleCount: cut.sampleCount)))
            case .history(let history):
                try Self.writeHistory(history, to: &writer)
            case .samples(let samples):
                if durable.snapshotsCancelled.withLock({ $0 }) {
                    throw DataDirectoryError(message: "The shutdown stopped it.")
                }
                try writer.append(.chunk(Array(samples)))
                written += UInt64(samples.count)
            case .skipped(let count):
                try writer.append(.skipped(count))
            }
        }
        return cut == nil ? nil : written
    }
}
