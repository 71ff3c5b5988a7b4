import SLOWatchHTTP
import SLOWatchProtobuf
import SwiftProtobuf

/// The OTLP/HTTP wire of `POST /v1/metrics`: the request's encoding (binary protobuf or OTLP/JSON,
/// optionally gzip-compressed), its decoding, and the answers in the same encoding: an
/// `ExportMetricsServiceResponse`, or a `google.rpc.Status` for an error (OTLP/HTTP 1.x).
enum OTLPBody {
    typealias Request = Opentelemetry_Proto_Collector_Metrics_V1_ExportMetricsServiceRequest
    typealias Response = Opentelemetry_Proto_Collector_Metrics_V1_ExportMetricsServiceResponse

    /// The two encodings OTLP/HTTP defines.
    enum Encoding: Sendable {
        /// `application/x-protobuf`: binary protobuf.
        case protobuf
        /// `application/json`: OTLP/JSON (proto3 JSON with lowerCamelCase keys, enums as integers,
        /// 64-bit integers as strings or numbers).
        case json

        /// The media type, as the `Content-Type` of the answer.
        var mediaType: String {
            switch self {
            case .protobuf: "application/x-protobuf"
            case .json: "application/json"
            }
        }
    }

    /// An answer that ends the request: its status and `google.rpc.Status` body, ready to send.
    struct Refusal: Error, Sendable {
        /// The answer.
        let response: HTTPResponse
    }

    /// The decoded request and its encoding.
    /// - Parameter maxBodyBytes: the body limit (bytes), which the decompressed size of a gzip body
    ///   counts against too.
    /// - Throws: 415 (a slowatch JSON error, since no OTLP encoding was named) for a `Content-Type` other
    ///   than the two; 415 for a `Content-Encoding` other than `gzip` or `identity`; 413 for a gzip
    ///   body that inflates past `maxBodyBytes`; 400 for a body that is not a valid gzip stream or does not
    ///   decode as an `ExportMetricsServiceRequest`.
    static func decode(_ request: HTTPRequest, maxBodyBytes: Int) throws(Refusal) -> (Request, Encoding) {
        let encoding: Encoding
        if request.headers.withFirstValue(
            "Content-Type", { JSONRequestBody.names($0, "application/x-protobuf") })
        {
            encoding = .protobuf
        } else if request.headers.withFirstValue("Content-Type", JSONRequestBody.isJSON) {
            encoding = .json
        } else {
            throw Refusal(
                response: APIError.unsupportedMediaType(
                    request.headers["Content-Type"],
                    expected: "application/x-protobuf or application/json (OTLP/HTTP)"
                ).response)
        }
        var body = request.body
        let contentEncoding = (request.headers["Content-Encoding"] ?? "identity").lowercased()
            .trimmingCharacters(in: " \t")
        switch contentEncoding {
        case "identity", "": break
        case "gzip", "x-gzip":
            do throws(Gzip.InflateError) {
                body = try Gzip.inflate(body, limit: maxBodyBytes)
            } catch .tooLarge {
                throw refusal(
                    413, code: 8,
                    "The gzip request body inflates to more than \(maxBodyBytes) bytes, the body limit (--max-body).",
                    encoding)
            } catch {
                throw refusal(
                    400, code: 3, "The request body is not a valid gzip stream (Content-Encoding: gzip).",
                    encoding)
            }
        default:
            throw refusal(
                415, code: 3,
                "Content-Encoding \(MessageText.quoted(contentEncoding)) is not supported: send gzip or no encoding.",
                encoding)
        }
        do {
            switch encoding {
            case .protobuf:
                return (try Request(serializedBytes: body), encoding)
            case .json:
                var options = JSONDecodingOptions()
                options.ignoreUnknownFields = true
                return (try Request(jsonUTF8Bytes: body, options: options), encoding)
            }
        } catch {
            let what = encoding == .protobuf ? "binary protobuf" : "OTLP/JSON"
            throw refusal(
                400, code: 3,
                "The request body is not a valid ExportMetricsServiceRequest in \(what) (\(encoding.mediaType)).",
                encoding)
        }
    }

    /// The `200` answer: an `ExportMetricsServiceResponse`, with `partial_success` (rejected data points
    /// and the reasons) when `ingest` refused any.
    static func success(_ ingest: OTLPIngest, _ encoding: Encoding) -> HTTPResponse {
        var response = Response()
        if ingest.rejected > 0 {
            response.partialSuccess.rejectedDataPoints = Int64(ingest.rejected)
            response.partialSuccess.errorMessage = ingest.errorMessage
        }
        let body: [UInt8]
        switch encoding {
        case .protobuf: body = (try? response.serializedBytes()) ?? []
        case .json: body = (try? response.jsonUTF8Bytes()) ?? Array("{}".utf8)
        }
        return HTTPResponse(status: 200, headers: ["Content-Type": encoding.mediaType], body: body)
    }

    /// An error answer: `status` with a `google.rpc.Status` (gRPC `code`, `message`) in `encoding`,
    /// encoded by hand (field 1 `code`, field 2 `message`).
    static func refusal(_ status: Int, code: Int32, _ message: String, _ encoding: Encoding) -> Refusal {
        Refusal(response: response(status, code: code, message, encoding))
    }

    /// See ``refusal(_:code:_:_:)``.
    static func response(_ status: Int, code: Int32, _ message: String, _ encoding: Encoding) -> HTTPResponse
    {
        var body: [UInt8] = []
        switch encoding {
        case .protobuf:
            body.append(0x08)
            appendVarint(UInt64(UInt32(bitPattern: code)), to: &body)
            let text = Array(message.utf8)
            body.append(0x12)
            appendVarint(UInt64(text.count), to: &body)
            body.append(contentsOf: text)
        case .json:
            var json = JSONWriter(capacity: 32 + message.utf8.count)
            json.beginObject()
            json.key("code")
            json.integer(code)
            json.key("message")
            json.string(message)
            json.endObject()
            body = json.bytes
        }
        return HTTPResponse(status: status, headers: ["Content-Type": encoding.mediaType], body: body)
    }

    /// The gRPC code of an HTTP status slowatch answers (3 INVALID_ARGUMENT, 8 RESOURCE_EXHAUSTED, 14
    /// UNAVAILABLE, 13 INTERNAL otherwise).
    static func grpcCode(ofStatus status: Int) -> Int32 {
        switch status {
        case 400, 415, 422: 3
        case 413, 429: 8
        case 503: 14
        default: 13
        }
    }

    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }
}

extension String {
    /// The text without leading and trailing characters in `characters`.
    fileprivate func trimmingCharacters(in characters: String) -> String {
        let set = Set(characters)
        return String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
