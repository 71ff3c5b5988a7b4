import FuzzSupport
import SLOWatchService

/// The `POST /v1/metrics` decoder and mapper under arbitrary bytes. The first byte picks the request's
/// shape (bit 0: OTLP/JSON rather than binary protobuf; bit 1: `Content-Encoding: gzip`; bit 2: a name
/// attribute configured); the rest is the body. The invariants, each of which aborts when broken:
/// - nothing crashes, and a small body limit bounds what a gzip body may inflate to;
/// - a refusal is 400, 413 (gzip only) or 415 (an unsupported encoding never happens here), with a body;
/// - a mapped body reports counts of at least 0, and an error message exactly when it refused points.
enum OTLPBodyFuzzing {
    static func run(_ input: [UInt8]) {
        guard let shape = input.first else { return }
        let body = Array(input.dropFirst())
        let json = shape & 1 != 0
        let gzip = shape & 2 != 0
        do throws(OTLPMetricsBody.Refusal) {
            let mapped = try OTLPMetricsBody.map(
                body, contentType: json ? "application/json" : "application/x-protobuf",
                contentEncoding: gzip ? "gzip" : nil, maxBodyBytes: 1 << 16,
                nameAttributes: shape & 4 != 0 ? ["service.name"] : [])
            invariant(
                mapped.samples >= 0 && mapped.histograms >= 0 && mapped.rejected >= 0,
                "negative counts for \(shown(input))")
            invariant(
                (mapped.rejected > 0) == !mapped.errorMessage.isEmpty,
                "rejected \(mapped.rejected) with message \(mapped.errorMessage.debugDescription): \(shown(input))"
            )
        } catch {
            invariant(
                error.status == 400 || (gzip && error.status == 413),
                "status \(error.status) for \(shown(input))")
            invariant(!error.body.isEmpty, "an empty error body for \(shown(input))")
        }
    }
}
