import Logging
import SLOWatchCore

extension SLOWatchService {
    /// Restores the bus from the data directory: the logged events that survived (gaps or not), the
    /// sequence counter, and where events were lost, so that a client resuming from a lost id is told
    /// `: history truncated` and sequences are never handed out twice.
    ///
    /// Events were lost when the log was torn or damaged (everything after its intact records, up to the
    /// highest id perhaps handed out) or when the snapshot counted more events than the log holds.
    static func restoreEvents(_ durable: DurableState, into bus: EventBus, logger: Logger) {
        let recovered = durable.recovered
        let newest = recovered.events.last?.sequence ?? 0
        let counted = recovered.snapshot?.lastSequence ?? 0
        let handedOut = max(counted, newest)
        var lostThrough: UInt64?
        if recovered.eventsLost {
            lostThrough = handedOut
        } else if counted > newest {
            lostThrough = counted
            let message =
                "The violation log ends at event #\(newest), before event #\(counted) of the snapshot; the "
                + "events in between are lost, and clients resuming from before them are told so."
            logger.warning("\(message)")
        }
        bus.restore(events: recovered.events, lastSequence: handedOut, lostThrough: lostThrough)
    }
}
