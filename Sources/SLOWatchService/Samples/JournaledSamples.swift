import SLOWatchCore
import SLOWatchHTTP

/// A `POST /samples` request waiting for its journal record: checked and resolved on the event loop,
/// then applied and answered by the journal's writer thread once the record is written (and synced,
/// by `--fsync`).
///
/// A plain value rather than a closure, so queuing a request allocates no closure context; the writer
/// collects the answers of a group into one ``HTTPResponder/Batch`` (one mailbox post per loop). It
/// holds only what is the request's own (its handles and its responder): the registry and the
/// counters are the journal's ``SamplesSink``, read once per group, so that queuing and answering a
/// request touch no reference count shared with the other event loops.
struct JournaledSamples: Sendable {
    /// One handle per metric of the record's payload (see ``SamplesPayload``), in its order, resolved
    /// before journaling.
    let handles: [MetricHandle]
    /// The client's answer.
    let responder: HTTPResponder
    /// The answer once the samples are recorded, when it is not `POST /samples`' own `{"accepted":N}`
    /// (`POST /v1/metrics` answers an OTLP response); nil for that one.
    var success: HTTPResponse? = nil

    /// Applies `payload` as record `sequence` and returns the answer: `200 {"accepted":N}`, 422 when
    /// the registry refused a metric meanwhile, or 503 `storage_failed` (nothing recorded) when
    /// `sequence` is nil because the record was not written, or when no sink is attached (unreachable:
    /// the route that queues such requests attaches it). Runs on the writer thread, in LSN order.
    /// - Parameter accepted: increased by how many samples were recorded (counted once per group).
    func answer(
        _ sequence: UInt64?, payload: [UInt8], sink: SamplesSink?, accepted: inout Int, health: StorageHealth
    ) -> HTTPResponse {
        guard let sequence, let sink else { return APIError.notSaved(health).response }
        let (recorded, refusal) = SamplesPayload.apply(
            payload, handles: handles, into: sink.registry, sequence: sequence)
        accepted += recorded
        if let refusal { return APIError(refusal).response }
        return success ?? SampleRoutes.accepted(recorded)
    }
}

/// Where the journal's writer applies the `POST /samples` requests it has written: the registry, and
/// the counter of accepted samples. Attached once, when the route is registered
/// (``Journal/attach(_:)``).
struct SamplesSink: Sendable {
    /// Where the samples go.
    let registry: MetricsRegistry
    /// Where accepted samples are counted.
    let counters: ServiceCounters
}
