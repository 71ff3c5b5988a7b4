import SLOWatchService
import TestCurlClient
import Testing

/// Bearer tokens over a real socket: a live service with a token, and libcurl as the client.
@Suite("Access control")
struct AccessControlTests {
    /// The token the services below are started with: 64 hex digits, as `openssl rand -hex 32` makes.
    static let secret = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

    /// A service whose writes (and, with `protectReads`, reads) need ``secret``.
    static func service(protectReads: Bool = false) throws -> TestService {
        try TestService { configuration in
            configuration.token = AccessToken(secret)
            configuration.protectReads = protectReads
        }
    }

    /// `Authorization: <value>`.
    static func authorization(_ value: String) -> [(String, String)] { [("Authorization", value)] }

    /// The right token, in the usual spelling.
    static let bearer = authorization("Bearer \(secret)")

    /// Checks a 401 with the JSON error `code`, and the challenge with `error` when given.
    static func expectUnauthorized(
        _ response: CurlResponse, code: String, challengeError: String?,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(response.status == 401, "\(response.bodyText)", sourceLocation: sourceLocation)
        #expect(response.errorCode == code, sourceLocation: sourceLocation)
        let challenge = "Bearer realm=\"slowatch\"" + (challengeError.map { ", error=\"\($0)\"" } ?? "")
        #expect(response.values("WWW-Authenticate") == [challenge], sourceLocation: sourceLocation)
        #expect(
            response.header("Content-Type") == "application/json; charset=utf-8",
            sourceLocation: sourceLocation)
        #expect(!response.bodyText.contains(secret), sourceLocation: sourceLocation)
    }

    @Test("every write without a token gets 401 with a Bearer challenge and changes nothing")
    func writesNeedTheToken() throws {
        let server = try Self.service()
        defer { server.stop() }
        let client = try CurlClient()
        let sample = try client.postJSON(server.url("/samples"), #"{"metric":"a","value":1}"#)
        Self.expectUnauthorized(sample, code: "unauthorized", challengeError: nil)
        #expect(sample.errorMessage == "POST /samples needs a token: send Authorization: Bearer <token>.")
        let metric = try client.putJSON(server.url("/metrics/b"), #"{"unit":"ms"}"#)
        Self.expectUnauthorized(metric, code: "unauthorized", challengeError: nil)
        let slo = try client.putJSON(
            server.url("/slos/c"), #"{"metric":"a","percentile":"p95","threshold":1}"#)
        Self.expectUnauthorized(slo, code: "unauthorized", challengeError: nil)
        let delete = try client.request(method: "DELETE", url: server.url("/metrics/a"))
        Self.expectUnauthorized(delete, code: "unauthorized", challengeError: nil)
        #expect(server.service.registry.metricCount == 0)
        #expect(server.service.monitor.sloCount == 0)
    }

    @Test("the right token is accepted on every write, and reads stay open without --protect-reads")
    func theTokenOpensWrites() throws {
        let server = try Self.service()
        defer { server.stop() }
        let client = try CurlClient()
        let sample = try client.post(
            server.url("/samples"), body: Array(#"{"metric":"a","value":1}"#.utf8),
            headers: [("Content-Type", "application/json")] + Self.bearer)
        #expect(sample.status == 200, "\(sample.bodyText)")
        let metric = try client.request(
            method: "PUT", url: server.url("/metrics/b"), body: Array(#"{"unit":"ms"}"#.utf8),
            headers: [("Content-Type", "application/json")] + Self.bearer)
        #expect(metric.status == 201)
        #expect(
            try client.request(method: "DELETE", url: server.url("/metrics/b"), headers: Self.bearer).status
                == 204)
        #expect(try client.get(server.url("/metrics/a/percentiles")).json()["count"] as? Int == 1)
        #expect(try client.get(server.url("/metrics")).status == 200)
        #expect(try client.request(method: "HEAD", url: server.url("/slos")).status == 200)
    }

    @Test(
        "a wrong token gets 401 invalid_token, whatever its length",
        arguments: [
            String(AccessControlTests.secret.dropLast()) + "0",  // same length, last digit differs
            "0" + String(AccessControlTests.secret.dropFirst()),  // same length, first digit differs
            String(AccessControlTests.secret.prefix(10)),  // a prefix
            AccessControlTests.secret + "0",  // one byte too long
            AccessControlTests.secret + AccessControlTests.secret,  // twice as long
            "x",
            AccessControlTests.secret.uppercased(),  // the token is case-sensitive; the scheme is not
        ])
    func wrongToken(token: String) throws {
        let server = try Self.service()
        defer { server.stop() }
        let response = try CurlClient().post(
            server.url("/samples"), body: Array(#"{"metric":"a","value":1}"#.utf8),
            headers: [("Content-Type", "application/json")] + Self.authorization("Bearer \(token)"))
        Self.expectUnauthorized(response, code: "invalid_token", challengeError: "invalid_token")
        #expect(!response.bodyText.contains(token))
        #expect(server.service.registry.metricCount == 0)
    }

    @Test(
        "the scheme is case-insensitive and may be followed by several spaces",
        arguments: ["Bearer", "bearer", "BEARER", "bEaReR", "Bearer  "])
    func schemeSpelling(scheme: String) throws {
        let server = try Self.service()
        defer { server.stop() }
        let response = try CurlClient().post(
            server.url("/samples"), body: Array(#"{"metric":"a","value":1}"#.utf8),
            headers: [("Content-Type", "application/json")] + Self.authorization("\(scheme) \(Self.secret)"))
        #expect(response.status == 200, "\(scheme): \(response.bodyText)")
    }

    @Test(
        "another scheme, or Bearer without a space, is no credential: 401 without an error attribute",
        arguments: [
            "Basic dXNlcjpwYXNz", "Token \(AccessControlTests.secret)", "Bearer\(AccessControlTests.secret)",
            "Bearer",
        ])
    func otherSchemes(value: String) throws {
        let server = try Self.service()
        defer { server.stop() }
        let response = try CurlClient().postJSON(
            server.url("/samples"), #"{"metric":"a","value":1}"#)
        Self.expectUnauthorized(response, code: "unauthorized", challengeError: nil)
        let other = try CurlClient().post(
            server.url("/samples"), body: Array(#"{"metric":"a","value":1}"#.utf8),
            headers: [("Content-Type", "application/json")] + Self.authorization(value))
        Self.expectUnauthorized(other, code: "unauthorized", challengeError: nil)
        #expect(other.errorMessage?.contains("does not use the Bearer scheme") == true)
    }

    @Test("two Authorization headers get 400 invalid_request, even when one holds the token")
    func repeatedHeader() throws {
        let server = try Self.service()
        defer { server.stop() }
        let response = try CurlClient().post(
            server.url("/samples"), body: Array(#"{"metric":"a","value":1}"#.utf8),
            headers: [("Content-Type", "application/json")] + Self.bearer + Self.authorization("Bearer x"))
        #expect(response.status == 400)
        #expect(response.errorCode == "invalid_request")
        #expect(response.header("WWW-Authenticate") == "Bearer realm=\"slowatch\", error=\"invalid_request\"")
        #expect(server.service.registry.metricCount == 0)
    }

    @Test("with --protect-reads reads need the token, except /healthz, /openapi.yaml and the dashboard page")
    func protectedReads() throws {
        let server = try Self.service(protectReads: true)
        defer { server.stop() }
        let client = try CurlClient()
        for path in ["/metrics", "/metrics/a", "/metrics/a/percentiles", "/slos", "/slo/violations"] {
            Self.expectUnauthorized(
                try client.get(server.url(path)), code: "unauthorized", challengeError: nil)
            let wrong = try client.get(server.url(path), headers: Self.authorization("Bearer nope"))
            Self.expectUnauthorized(wrong, code: "invalid_token", challengeError: "invalid_token")
            let head = try client.request(method: "HEAD", url: server.url(path))
            #expect(head.status == 401 && head.body.isEmpty, "HEAD \(path)")
        }
        // The live stream is refused before it starts, and opens with the token.
        let sse = [("Accept", "text/event-stream")]
        let stream = try client.get(server.url("/slo/violations"), headers: sse)
        Self.expectUnauthorized(stream, code: "unauthorized", challengeError: nil)
        let opened = try CurlClient().stream(
            server.url("/slo/violations"), headers: sse + Self.bearer, timeoutMilliseconds: 5_000
        ) { _ in false }
        #expect(opened.status == 200 && opened.stoppedByClient)
        #expect(opened.header("Content-Type")?.hasPrefix("text/event-stream") == true)
        for path in ["/healthz", "/openapi.yaml", "/"] {
            #expect(try client.get(server.url(path)).status == 200, "\(path) stays open")
        }
        #expect(try client.get(server.url("/metrics"), headers: Self.bearer).status == 200)
        #expect(
            try client.get(server.url("/slos"), headers: Self.authorization("bearer \(Self.secret)")).status
                == 200)
        // Writes still need it too.
        Self.expectUnauthorized(
            try client.postJSON(server.url("/samples"), #"{"metric":"a","value":1}"#), code: "unauthorized",
            challengeError: nil)
    }

    @Test("an unknown path still gets 404 and an unserved method 405, before the token is asked for")
    func routingComesFirst() throws {
        let server = try Self.service(protectReads: true)
        defer { server.stop() }
        let client = try CurlClient()
        #expect(try client.get(server.url("/nowhere")).status == 404)
        let patch = try client.request(method: "PATCH", url: server.url("/samples"), body: [])
        #expect(patch.status == 405)
        #expect(patch.header("Allow") == "POST")
        // A known route with an unknown metric needs the token before it can tell the metric is unknown.
        #expect(try client.get(server.url("/metrics/nope")).status == 401)
        #expect(try client.get(server.url("/metrics/nope"), headers: Self.bearer).status == 404)
    }

    @Test("the token is checked before the body is read: no 100 Continue, no 413, and the connection closes")
    func refusedBeforeTheBody() throws {
        let server = try TestService { configuration in
            configuration.token = AccessToken(Self.secret)
            configuration.maxBodyBytes = 16
        }
        defer { server.stop() }
        let client = try CurlClient()
        let body = Array(#"{"samples":[{"metric":"a","value":1},{"metric":"a","value":2}]}"#.utf8)
        let response = try client.postExpectContinue(
            server.url("/samples"), body: body, headers: [("Content-Type", "application/json")])
        Self.expectUnauthorized(response, code: "unauthorized", challengeError: nil)
        #expect(response.interimStatuses.isEmpty, "no 100 Continue invites the body")
        #expect(response.header("Connection") == "close", "the unread body cannot be skipped")
        // With the token, the same body meets the body limit as usual.
        let allowed = try client.postExpectContinue(
            server.url("/samples"), body: body, headers: [("Content-Type", "application/json")] + Self.bearer)
        #expect(allowed.status == 413)
        // A refused request without a body keeps the connection.
        let first = try client.request(method: "DELETE", url: server.url("/metrics/a"))
        #expect(first.status == 401 && first.header("Connection") == nil)
        let second = try client.request(method: "DELETE", url: server.url("/metrics/a"))
        #expect(second.status == 401 && second.numConnects == 0, "the connection was kept alive")
    }

    @Test("without a token every request is admitted, as before")
    func noToken() throws {
        let server = try TestService()
        defer { server.stop() }
        let response = try CurlClient().postJSON(server.url("/samples"), #"{"metric":"a","value":1}"#)
        #expect(response.status == 200)
        #expect(response.header("WWW-Authenticate") == nil)
    }
}
