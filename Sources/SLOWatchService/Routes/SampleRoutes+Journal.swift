import SLOWatchCore
import SLOWatchHTTP

extension SampleRoutes {
    /// `POST /samples` with a journal: decoded and checked on the event loop (errors are answered as
    /// without one, and nothing invalid is journaled), then handed to the journal as a ``SamplesPayload`` and a ``JournaledSamples``;
    /// the samples are recorded and the client answered on the writer thread once the record is written
    /// (and synced, by `--fsync`), together with the rest of its group. A write that fails records nothing and answers 503 `storage_failed`.
    static func postJournaled(
        _ request: HTTPRequest, responder: HTTPResponder, service: SLOWatchService, journal: Journal
    ) {
        let payload: [UInt8]
        let handles: [MetricHandle]
        do throws(APIError) {
            let batch = try decode(request, registry: service.registry)
            let arrival = service.wallClock.nowMilliseconds()
            let resolved = try SampleRecorder.resolve(
                batch, in: service.registry, arrivalMilliseconds: arrival)
            // Written straight from the batch: one copy of each sample, no grouped arrays.
            let encoded = SamplesPayload.encode(batch, arrivalMilliseconds: arrival)
            payload = encoded.payload
            handles = encoded.kept.map { $0.map { resolved[$0] } } ?? resolved
        } catch {
            responder.respond(error.response)
            return
        }
        let request = JournaledSamples(handles: handles, responder: responder)
        if !journal.stage(samples: payload, request: request, loop: responder.loopIndex) {
            responder.respond(APIError.notSaved(journal.health).response)
        }
    }
}
