import Logging
import SLOWatchCore

extension SLOWatchService {
    /// How many event streams (`GET /slo/violations` as Server-Sent Events) are open and live now:
    /// each one counted here gets every event published from now on. The bus holds one subscription
    /// per event loop for all of them, so its subscriber count is not this figure.
    public var openEventStreams: Int { streams.count }

    /// Reads the event sequence file of the data directory, if any.
    /// - Throws: ``ServiceError`` blaming ``SettingKey/dataDir`` when it cannot be read or set aside.
    static func openSequenceFile(_ durable: DurableState?, logger: Logger) throws(ServiceError)
        -> EventSequenceFile?
    {
        guard let durable else { return nil }
        do {
            return try EventSequenceFile.open(durable, logger: logger)
        } catch {
            throw ServiceError(
                "\(error.message) Choose a writable directory with --data-dir.", setting: .dataDir)
        }
    }

    /// Restores the bus from the data directory: the logged events that survived (gaps or not), the
    /// sequence counter, and where events were lost, so that a client resuming from a lost id is told
    /// `: history truncated` and sequences are never handed out twice.
    ///
    /// New events get sequences above every id the previous process may have handed out: above the
    /// ceiling it reserved in the `sequence` file (or, when that file was damaged, two blocks above the
    /// newest id the log and snapshot know of, in doubt; when it is missing and the log lost records,
    /// above what those records could have used), and above the log and the snapshot. A block
    /// above that is reserved now, before anything is published; when that write fails, the bus asks
    /// again at its first publish, and refuses events until a reservation succeeds.
    ///
    /// Events were lost when the log was torn or damaged (everything after its intact records, up to the
    /// highest id perhaps handed out) or when the snapshot counted more events than the log holds.
    static func restoreEvents(
        _ durable: DurableState, sequences: EventSequenceFile, into bus: EventBus, logger: Logger
    ) {
        let recovered = durable.recovered
        let newest = recovered.events.last?.sequence ?? 0
        let counted = max(
            recovered.snapshot?.lastSequence ?? 0, recovered.snapshotHeader?.lastEventSequence ?? 0)
        let block = bus.sequenceBlock
        let known = max(counted, newest)
        var issued = known
        switch sequences.stored {
        case .none where recovered.eventsLost:
            // A data directory from a build without the file: the lost records (at most the log's
            // twice-the-history bound) may have used ids above the newest one kept.
            let margin = max(2 * block, 2 * UInt64(durable.log.retention))
            issued = known.addingReportingOverflow(margin).partialValue
        case .none: break
        case .ceiling(let ceiling): issued = max(issued, ceiling)
        case .damaged: issued = known.addingReportingOverflow(2 * block).partialValue
        }
        var lostThrough: UInt64?
        if recovered.eventsLost {
            lostThrough = issued
        } else if counted > newest {
            lostThrough = counted
            let message =
                "The violation log ends at event #\(newest), before event #\(counted) of the snapshot; the "
                + "events in between are lost, and clients resuming from before them are told so."
            logger.warning("\(message)")
        }
        let ceiling = issued.addingReportingOverflow(block)
        let reserved = !ceiling.overflow && sequences.write(ceiling.partialValue)
        bus.restore(
            events: recovered.events, lastSequence: known, lostThrough: lostThrough, skippedThrough: issued,
            reservedThrough: reserved ? ceiling.partialValue : nil)
    }
}
