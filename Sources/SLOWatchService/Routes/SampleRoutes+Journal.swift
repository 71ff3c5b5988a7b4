import SLOWatchCore
import SLOWatchHTTP

extension SampleRoutes {
    /// `POST /samples` with a journal: decoded and checked on the event loop (errors are answered as
    /// without one, and nothing invalid is journaled), then handed to the journal; the samples are
    /// recorded and the client answered on the writer thread once the record is written (and synced, by
    /// `--fsync`). A write that fails records nothing and answers 503 `storage_failed`.
    static func postJournaled(
        _ request: HTTPRequest, responder: HTTPResponder, service: SLOWatchService, journal: Journal
    ) {
        let grouped: GroupedSamples
        let handles: [MetricHandle]
        do throws(APIError) {
            let batch = try decode(request)
            let arrival = service.wallClock.nowMilliseconds()
            let resolved = try SampleRecorder.resolve(
                batch, in: service.registry, arrivalMilliseconds: arrival)
            (grouped, handles) = SampleRecorder.grouped(
                batch, arrivalMilliseconds: arrival, handles: resolved)
        } catch {
            responder.respond(error.response)
            return
        }
        let registry = service.registry
        let counters = service.counters
        let queued = journal.submit(JournalRecord.samples(grouped).encode()) { sequence in
            guard let sequence else {
                responder.respond(APIError.notSaved(journal.health).response)
                return
            }
            let (recorded, refusal) = SampleRecorder.apply(
                grouped, handles: handles, into: registry, sequence: sequence)
            ServiceCounters.add(recorded, to: counters.samplesAccepted)
            if let refusal {
                responder.respond(APIError(refusal).response)
            } else {
                responder.respond(accepted(recorded))
            }
        }
        if !queued { responder.respond(APIError.notSaved(journal.health).response) }
    }
}
