import SLOWatchCore
import SLOWatchHTTP

/// A `POST /samples` request waiting for its journal record: checked and resolved on the event loop,
/// then applied and answered by the journal's writer thread once the record is written (and synced,
/// by `--fsync`).
///
/// A plain value rather than a closure, so queuing a request allocates no closure context; the writer
/// collects the answers of a group into one ``HTTPResponder/Batch`` (one mailbox post per loop).
struct JournaledSamples: Sendable {
    /// The samples, grouped by metric, as the record holds them.
    let grouped: GroupedSamples
    /// One handle per metric of ``grouped``, resolved before journaling.
    let handles: [MetricHandle]
    /// Where the samples go.
    let registry: MetricsRegistry
    /// Where accepted samples are counted.
    let counters: ServiceCounters
    /// The client's answer.
    let responder: HTTPResponder

    /// Applies the samples as record `sequence` and returns the answer: `200 {"accepted":N}`, 422 when
    /// the registry refused a metric meanwhile, or 503 `storage_failed` (nothing recorded) when
    /// `sequence` is nil because the record was not written. Runs on the writer thread, in LSN order.
    func answer(_ sequence: UInt64?, health: StorageHealth) -> HTTPResponse {
        guard let sequence else { return APIError.notSaved(health).response }
        let (recorded, refusal) = SampleRecorder.apply(
            grouped, handles: handles, into: registry, sequence: sequence)
        ServiceCounters.add(recorded, to: counters.samplesAccepted)
        if let refusal { return APIError(refusal).response }
        return SampleRoutes.accepted(recorded)
    }
}
