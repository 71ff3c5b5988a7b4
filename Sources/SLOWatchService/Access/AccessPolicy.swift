import SLOWatchHTTP

/// Who may do what: with a token, every write (POST, PUT, DELETE) must present it as
/// `Authorization: Bearer <token>`, and so must every read when ``protectReads`` is on.
///
/// Some reads stay open even then, because they reveal nothing a client could misuse and something must
/// be reachable without a secret: ``openPaths``. The policy runs on a request's head, after its route
/// and method were found (an unknown path still gets 404 and an unserved method 405, which the
/// published `openapi.yaml` gives away anyway) and before any of its body is read.
struct AccessPolicy: Sendable {
    /// The token requests must present, or nil to admit every request.
    var token: AccessToken?
    /// Whether reads (GET, HEAD) need the token too, except on ``openPaths``.
    var protectReads: Bool

    /// The paths a read may use without the token even with ``protectReads``: `/healthz` for health
    /// checks (Docker's `HEALTHCHECK`, load balancers), `/openapi.yaml` (the public contract) and `/`
    /// (the dashboard's page, which holds no data: its requests for data need the token).
    static let openPaths: Set<String> = ["/healthz", "/openapi.yaml", "/"]

    /// The `WWW-Authenticate` realm.
    static let realm = "slowatch"

    /// The answer for a request that may not proceed (401, or 400 for two `Authorization` headers), or nil
    /// when it may.
    func refusal(for request: HTTPRequest) -> HTTPResponse? {
        guard let token, needsToken(request) else { return nil }
        let credential = BearerCredential(request.headers)
        if case .bearer(let presented) = credential, token.matches(presented) { return nil }
        // Only a refusal names the request: an accepted one builds no text.
        let what = "\(request.method.rawValue) \(request.path)"
        switch credential {
        case .bearer:
            return Self.answer(
                401, code: "invalid_token", challengeError: "invalid_token",
                message: "The bearer token in the Authorization header is not the one this server takes, "
                    + "so \(what) is refused.")
        case .missing:
            return Self.answer(
                401, code: "unauthorized", challengeError: nil,
                message: "\(what) needs a token: send Authorization: Bearer <token>.")
        case .otherScheme:
            return Self.answer(
                401, code: "unauthorized", challengeError: nil,
                message: "\(what) needs a token, and the Authorization header does not use the Bearer "
                    + "scheme: send Authorization: Bearer <token>.")
        case .repeated:
            return Self.answer(
                400, code: "invalid_request", challengeError: "invalid_request",
                message: "The request has more than one Authorization header; send exactly one, "
                    + "Authorization: Bearer <token>.")
        }
    }

    /// Writes always need the token; reads only with ``protectReads``, and never on ``openPaths``.
    private func needsToken(_ request: HTTPRequest) -> Bool {
        switch request.method {
        case .get, .head: protectReads && !Self.openPaths.contains(request.path)
        default: true
        }
    }

    /// The JSON error with its `WWW-Authenticate: Bearer realm="slowatch"` challenge, and the RFC 6750
    /// `error` attribute when the client sent a credential that is wrong.
    private static func answer(_ status: Int, code: String, challengeError: String?, message: String)
        -> HTTPResponse
    {
        var response = APIError(status: status, code: code, message: message).response
        var challenge = "Bearer realm=\"\(realm)\""
        if let challengeError { challenge += ", error=\"\(challengeError)\"" }
        response.headers.add(name: "WWW-Authenticate", value: challenge)
        return response
    }
}
