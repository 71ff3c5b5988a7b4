import SLOWatchCore
import SLOWatchHTTP

/// `POST /v1/metrics`: OTLP/HTTP metrics ingest (see `docs/otlp.md`). The same token rules as every
/// write (``AccessPolicy``, before the body is read).
///
/// Gauge samples go the way of `POST /samples`: through the journal when there is a data directory,
/// answered once written. Histogram points merge into history at once, before the answer; they are not
/// journaled: the next snapshot saves them with the history (`--snapshot-interval`), so a `kill -9`
/// loses the histogram points of at most that interval (a journal record per histogram would cost far
/// more than the samples it summarizes, and an OTel SDK resends cumulative state anyway).
enum OTLPRoutes {
    /// The path OTLP/HTTP exporters post metrics to.
    static let path = "/v1/metrics"

    /// Registers the route, with its own table of cumulative streams.
    static func register(in router: inout HTTPRouter, service: SLOWatchService) {
        let streams = OTLPStreamTable(nowMilliseconds: service.wallClock.nowMilliseconds())
        if let journal = service.journal {
            router.addDeferred(.post, path) { request, responder in
                postJournaled(
                    request, responder: responder, service: service, streams: streams, journal: journal)
            }
        } else {
            router.add(.post, path) { request in post(request, service: service, streams: streams) }
        }
    }

    /// Decodes, maps and records a request without a journal.
    /// - Returns: 200 with an `ExportMetricsServiceResponse` (`partial_success` when points were
    ///   refused); 400, 413 or 415 as ``OTLPBody/decode(_:maxBodyBytes:)`` says.
    static func post(_ request: HTTPRequest, service: SLOWatchService, streams: OTLPStreamTable)
        -> HTTPResponse
    {
        let prepared: Prepared
        do throws(OTLPBody.Refusal) {
            prepared = try prepare(request, service: service, streams: streams)
        } catch {
            return error.response
        }
        do throws(APIError) {
            let accepted = try SampleRecorder.record(
                prepared.batch, into: service.registry, arrivalMilliseconds: prepared.arrival)
            ServiceCounters.add(accepted, to: service.counters.samplesAccepted)
        } catch {
            return OTLPBody.response(
                error.status, code: OTLPBody.grpcCode(ofStatus: error.status), error.message,
                prepared.encoding)
        }
        return OTLPBody.success(prepared.ingest, prepared.encoding)
    }

    /// Decodes, maps and merges the histograms on the event loop, then stages the gauge samples in the
    /// journal; the answer goes when their record is written. A request without samples is answered at once.
    static func postJournaled(
        _ request: HTTPRequest, responder: HTTPResponder, service: SLOWatchService, streams: OTLPStreamTable,
        journal: Journal
    ) {
        let prepared: Prepared
        do throws(OTLPBody.Refusal) {
            prepared = try prepare(request, service: service, streams: streams)
        } catch {
            responder.respond(error.response)
            return
        }
        let success = OTLPBody.success(prepared.ingest, prepared.encoding)
        guard prepared.batch.count > 0 else {
            responder.respond(success)
            return
        }
        let payload: [UInt8]
        let handles: [MetricHandle]
        do throws(APIError) {
            let resolved = try SampleRecorder.resolve(
                prepared.batch, in: service.registry, arrivalMilliseconds: prepared.arrival)
            let encoded = SamplesPayload.encode(prepared.batch, arrivalMilliseconds: prepared.arrival)
            payload = encoded.payload
            handles = encoded.kept.map { $0.map { resolved[$0] } } ?? resolved
        } catch {
            responder.respond(
                OTLPBody.response(
                    error.status, code: OTLPBody.grpcCode(ofStatus: error.status), error.message,
                    prepared.encoding))
            return
        }
        var pending = JournaledSamples(handles: handles, responder: responder)
        pending.success = success
        if !journal.stage(samples: payload, request: pending, loop: responder.loopIndex) {
            let error = APIError.notSaved(journal.health)
            responder.respond(OTLPBody.response(error.status, code: 14, error.message, prepared.encoding))
        }
    }

    /// A request decoded and mapped, its histograms merged, its samples ready to record.
    struct Prepared {
        /// What the request asked for, with the refused points counted.
        var ingest: OTLPIngest
        /// The gauge samples of metrics that resolved.
        var batch: SampleBatch
        /// The request's wall-clock reading, ms since the epoch.
        var arrival: Double
        /// The request's encoding, which the answer uses.
        var encoding: OTLPBody.Encoding
    }

    /// Decodes and maps `request`, resolves each metric (registering new ones as `POST /samples` does;
    /// one that cannot be refuses its points, with the registry's reason), and merges the histograms.
    static func prepare(_ request: HTTPRequest, service: SLOWatchService, streams: OTLPStreamTable)
        throws(OTLPBody.Refusal) -> Prepared
    {
        let (decoded, encoding) = try OTLPBody.decode(
            request, maxBodyBytes: service.configuration.maxBodyBytes)
        let registry = service.registry
        let arrival = service.wallClock.nowMilliseconds()
        let mapper = OTLPPointMapper(
            nameAttributes: service.configuration.otlpNameAttributes,
            scale: registry.configuration.historyScale, streams: streams, nowMilliseconds: arrival,
            maxFutureSkewMilliseconds: registry.configuration.maxFutureSkewMilliseconds)
        var ingest = mapper.map(decoded)
        var handles: [String: MetricHandle] = [:]
        var refused: [String: String] = [:]
        func handle(_ name: String) -> MetricHandle? {
            if let known = handles[name] { return known }
            if refused[name] != nil { return nil }
            do throws(MetricsError) {
                let resolved = try registry.handle(for: name)
                handles[name] = resolved
                return resolved
            } catch {
                refused[name] = error.message
                return nil
            }
        }
        var batch = SampleBatch()
        var indices: [String: Int] = [:]
        for sample in ingest.samples {
            guard handle(sample.metric) != nil else {
                ingest.reject(refused[sample.metric] ?? "")
                continue
            }
            let index = indices[sample.metric] ?? batch.metrics.count
            if index == batch.metrics.count {
                indices[sample.metric] = index
                batch.metrics.append(sample.metric)
            }
            batch.samples.append(
                SampleBatch.Sample(metric: index, value: sample.value, timestamp: sample.timestamp))
        }
        for point in ingest.histograms {
            guard let target = handle(point.metric) else {
                ingest.reject(refused[point.metric] ?? "")
                continue
            }
            do throws(MetricsError) {
                try registry.merge(point.histogram, into: target, at: point.timestamp ?? arrival)
            } catch {
                ingest.reject(error.message)
            }
        }
        return Prepared(ingest: ingest, batch: batch, arrival: arrival, encoding: encoding)
    }
}
