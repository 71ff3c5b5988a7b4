import SLOWatchCore
import SLOWatchHTTP

/// The `POST /v1/metrics` decoding and mapping, callable without a server: for the fuzz target and for
/// tools that check a payload. It runs exactly the route's steps up to recording: the content type and
/// encoding checks, the bounded gzip inflation, the protobuf or OTLP/JSON decoding, and the mapping of
/// every data point (names, temporality, histogram conversion), against a fresh stream table.
public enum OTLPMetricsBody {
    /// What a body maps to.
    public struct Mapped: Sendable, Equatable {
        /// Gauge samples it holds.
        public var samples: Int
        /// Histograms it would merge.
        public var histograms: Int
        /// Data points refused.
        public var rejected: Int
        /// The `partial_success.error_message` (empty when nothing was refused).
        public var errorMessage: String
    }

    /// Why a body is refused: the status and the whole answer's body.
    public struct Refusal: Error, Sendable, Equatable {
        /// The HTTP status: 400, 413 or 415.
        public var status: Int
        /// The answer's body (a `google.rpc.Status`, or slowatch's JSON error for 415 on the type).
        public var body: [UInt8]
    }

    /// Decodes and maps `body` as the route would.
    /// - Parameters:
    ///   - contentType: the request's `Content-Type`.
    ///   - contentEncoding: its `Content-Encoding`, or nil.
    ///   - maxBodyBytes: the body limit, which a gzip body's inflated size counts against.
    ///   - nameAttributes: ``ServiceConfiguration/otlpNameAttributes``.
    /// - Throws: ``Refusal``.
    public static func map(
        _ body: [UInt8], contentType: String, contentEncoding: String? = nil, maxBodyBytes: Int = 1 << 20,
        nameAttributes: [String] = []
    ) throws(Refusal) -> Mapped {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        if let contentEncoding { headers.add(name: "Content-Encoding", value: contentEncoding) }
        let request = HTTPRequest(method: .post, target: OTLPRoutes.path, headers: headers, body: body)
        let decoded: OTLPBody.Request
        do throws(OTLPBody.Refusal) {
            decoded = try OTLPBody.decode(request, maxBodyBytes: maxBodyBytes).0
        } catch {
            throw Refusal(status: error.response.status, body: error.response.body)
        }
        let mapper = OTLPPointMapper(
            nameAttributes: nameAttributes, scale: ExponentialBucketLayout.defaultScale,
            streams: OTLPStreamTable(nowMilliseconds: 0), nowMilliseconds: 0,
            maxFutureSkewMilliseconds: .infinity)
        let ingest = mapper.map(decoded)
        return Mapped(
            samples: ingest.samples.count, histograms: ingest.histograms.count, rejected: ingest.rejected,
            errorMessage: ingest.errorMessage)
    }
}
