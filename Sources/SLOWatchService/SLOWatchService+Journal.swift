import Logging
import SLOWatchCore

extension SLOWatchService {
    /// Replays the journal of `durable` on top of what was restored (the snapshot), then opens it for
    /// writing at the next LSN.
    ///
    /// Records before `start` (the snapshot's first LSN) are in the snapshot. From there, a metric's
    /// record is skipped when its LSN is at most that metric's applied sequence (the snapshot copied the
    /// metric after applying it), and an SLO record when its LSN is at most `sloSequence`. Everything
    /// else is applied in LSN order, as it was live.
    /// - Parameters:
    ///   - slos: the SLO set, changed by the SLO records.
    ///   - start: the snapshot's first LSN (0 without a snapshot).
    ///   - sloSequence: the snapshot's SLO applied sequence (0 without one).
    ///   - countsBudgets: whether the registry counts budgets: an SLO record then starts, changes or
    ///     stops its counter where it did live, in LSN order among the samples.
    /// - Returns: the open journal and how many records were applied.
    /// - Throws: ``ServiceError`` blaming `--data-dir` when the new segment cannot be created.
    static func openJournal(
        _ durable: DurableState, configuration: ServiceConfiguration, registry: MetricsRegistry,
        slos: inout [SLODefinition], start: UInt64, sloSequence: UInt64, countsBudgets: Bool, logger: Logger
    ) throws(ServiceError) -> (journal: Journal, applied: Int) {
        var applied = 0
        var sloApplied = sloSequence
        let newest = JournalSegments.replay(durable.directory, from: start, logger: logger) { lsn, record in
            applied += 1
            switch record {
            case .samples(let grouped):
                let refusal = SampleRecorder.apply(
                    grouped, handles: nil, into: registry, sequence: lsn,
                    skip: { lsn <= (registry.appliedSequence(for: $0) ?? 0) }
                ).refusal
                if let refusal {
                    logger.error("Journal record #\(lsn) not fully replayed: \(refusal.message)")
                }
            case .metricUpsert(let definition):
                guard lsn > (registry.appliedSequence(for: definition.name) ?? 0) else { return }
                do throws(MetricsError) {
                    try registry.upsert(definition, sequence: lsn)
                } catch {
                    logger.error("Journal record #\(lsn) not replayed: \(error.message)")
                }
            case .metricDelete(let name):
                guard let known = registry.appliedSequence(for: name), lsn > known else { return }
                try? registry.unregister(name)
            case .sloUpsert(let slo):
                guard lsn > sloApplied else { return }
                sloApplied = lsn
                // As the edit did live: an unchanged rule keeps its counter, a changed one restarts it
                // (backfilled from the history replayed so far).
                if countsBudgets {
                    if slo.budgetCounterSpec == nil {
                        registry.stopCounting(sloID: slo.id)
                    } else {
                        startCounting([slo], in: registry)
                    }
                }
                if let index = slos.firstIndex(where: { $0.id == slo.id }) {
                    slos[index] = slo
                } else {
                    slos.append(slo)
                }
            case .sloDelete(let id):
                guard lsn > sloApplied else { return }
                sloApplied = lsn
                if countsBudgets { registry.stopCounting(sloID: id) }
                slos.removeAll { $0.id == id }
            }
        }
        durable.sloSequence.withLock { $0 = sloApplied }
        do throws(DataDirectoryError) {
            let journal = try Journal(
                directory: durable.directory, nextSequence: max(newest + 1, start, 1),
                mode: configuration.fsync,
                syncIntervalMilliseconds: configuration.fsyncIntervalMilliseconds, health: durable.health,
                logger: logger)
            return (journal, applied)
        } catch {
            throw ServiceError(
                "\(error.message) Choose a writable directory with --data-dir or SLOWATCH_DATA_DIR.",
                setting: .dataDir)
        }
    }
}
