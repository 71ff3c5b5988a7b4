import SLOWatchCore
import SLOWatchService
import TestRawClient
import Testing

/// The whole answers (status, headers but `Date`, body) of errors on the wire, pinned as literals: the
/// ones the transport produces itself (400, 404, 405, 408, 413, 414, 431, 501, 505) and ones the API
/// produces (a 400 and a 404 of a route, the access policy's 401). Clients match on these bodies, so moving where they are rendered must
/// not change a byte.
@Suite("Golden bytes of error answers")
struct ErrorBodyGoldenTests {
    /// One request and the answer pinned for it.
    struct Case: Sendable, CustomStringConvertible {
        /// The request bytes, as text.
        var request: String
        /// The answer, as ``RawResponse/comparable`` writes it.
        var answer: String
        var description: String { String(request.prefix(40)) }
    }

    /// A JSON error answer as the server writes it, with `Connection: close` when `close`.
    static func answer(_ status: Int, _ body: String, close: Bool = false, extra: [String] = []) -> String {
        let fields =
            ["Server: slowatch", "Content-Type: application/json; charset=utf-8"] + extra
            + ["Content-Length: \(body.utf8.count)"] + (close ? ["Connection: close"] : [])
        return "\(status)\n\(fields.joined(separator: "\n"))\n\n\(body)"
    }

    static let cases: [Case] = [
        Case(
            request: "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n",
            answer: answer(
                404, #"{"error":{"code":"not_found","message":"No route serves the path /nope."}}"#)),
        Case(
            request: "BROKEN\r\n\r\n",
            answer: answer(
                400,
                #"{"error":{"code":"bad_request","message":"The request line must be a method, a target and a "#
                    + #"version separated by single spaces."}}"#, close: true)),
        Case(
            request: "DELETE /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
            answer: answer(
                405,
                #"{"error":{"code":"method_not_allowed","message":"The path /healthz does not serve DELETE; "#
                    + #"it serves GET, HEAD."}}"#, extra: ["Allow: GET, HEAD"])),
        Case(
            request: "POST /samples HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n",
            answer: answer(
                413,
                #"{"error":{"code":"payload_too_large","message":"The request body is larger than the limit "#
                    + #"of 1048576 bytes."}}"#, close: true)),
        Case(
            request: "GET /healthz HTTP/1.1\r\nHost: x\r\n" + String(repeating: "X-A: b\r\n", count: 101)
                + "\r\n",
            answer: answer(
                431,
                #"{"error":{"code":"header_fields_too_large","message":"The request has more than 100 header "#
                    + #"fields."}}"#, close: true)),
        Case(
            request: "FOO /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
            answer: answer(
                501,
                #"{"error":{"code":"not_implemented","message":"The method FOO is not supported: this server "#
                    + #"knows GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH, TRACE, CONNECT and QUERY."}}"#)),
        Case(
            request: "GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n",
            answer: answer(
                505,
                #"{"error":{"code":"http_version_not_supported","message":"The HTTP version \"HTTP/2.0\" is "#
                    + #"not supported; this server speaks HTTP/1.x."}}"#, close: true)),
        Case(
            request: "GET /slo/violations?limit=abc HTTP/1.1\r\nHost: x\r\n\r\n",
            answer: answer(
                400,
                #"{"error":{"code":"invalid_request","message":"limit: \"abc\" is not valid: it must be a "#
                    + #"whole number from 1 to 1000."}}"#, extra: ["Vary: Accept"])),
        Case(
            request: "GET /metrics/nope/percentiles?q=0.5 HTTP/1.1\r\nHost: x\r\n\r\n",
            answer: answer(
                404, #"{"error":{"code":"metric_not_found","message":"No metric is named 'nope'."}}"#)),
    ]

    @Test("each error answer is byte-identical to the pinned one", arguments: cases)
    func errorAnswer(_ pinned: Case) throws {
        let service = try TestService()
        defer { service.stop() }
        let client = try RawClient(port: service.port)
        defer { client.close() }
        try client.send(pinned.request)
        let response = try client.readResponse()
        #expect(response.comparable == pinned.answer)
    }

    @Test("a too-long request line (414), a stalled head (408) and a missing token (401)")
    func moreErrorAnswers() throws {
        let service = try TestService {
            $0.headTimeoutMilliseconds = 200
            $0.token = AccessToken("golden-secret-token-0123456789")
        }
        defer { service.stop() }
        let long = try RawClient(port: service.port)
        defer { long.close() }
        try long.send("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
        let longAnswer = try long.readResponse().comparable
        #expect(
            longAnswer
                == Self.answer(
                    414,
                    #"{"error":{"code":"uri_too_long","message":"The request line is longer than the limit of "#
                        + #"8192 bytes."}}"#, close: true))
        let stalled = try RawClient(port: service.port)
        defer { stalled.close() }
        try stalled.send("GET /healthz HTTP/1.1\r\nHost:")
        let stalledAnswer = try stalled.readResponse().comparable
        #expect(
            stalledAnswer
                == Self.answer(
                    408,
                    #"{"error":{"code":"request_timeout","message":"The request head did not arrive within "#
                        + #"200 ms."}}"#, close: true))
        let anonymous = try RawClient(port: service.port)
        defer { anonymous.close() }
        try anonymous.send("POST /samples HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        let anonymousAnswer = try anonymous.readResponse().comparable
        #expect(
            anonymousAnswer
                == Self.answer(
                    401,
                    #"{"error":{"code":"unauthorized","message":"POST /samples needs a token: send "#
                        + #"Authorization: Bearer <token>."}}"#,
                    extra: [#"WWW-Authenticate: Bearer realm="slowatch""#]))
    }
}
