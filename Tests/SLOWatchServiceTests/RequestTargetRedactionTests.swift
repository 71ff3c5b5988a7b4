import Foundation
import Logging
import SLOWatchSync
import TestCurlClient
import Testing

@testable import SLOWatchService

/// Debug request lines never show a credential sent in the query string.
@Suite("Request lines: credentials redacted")
struct RequestTargetRedactionTests {
    @Test(
        "query values of credential-like names are redacted; other parameters and the path are kept",
        arguments: [
            ("/healthz", "/healthz"),
            ("/metrics/a/percentiles?q=0.5", "/metrics/a/percentiles?q=0.5"),
            ("/samples?token=s3cret", "/samples?token=REDACTED"),
            ("/samples?TOKEN=s3cret&metric=a", "/samples?TOKEN=REDACTED&metric=a"),
            (
                "/x?access_token=a&api_key=b&password=c&secret=d&auth=e",
                "/x?access_token=REDACTED&api_key=REDACTED&password=REDACTED&secret=REDACTED&auth=REDACTED"
            ),
            ("/x?Client-Secret=a;X-Auth=b", "/x?Client-Secret=REDACTED;X-Auth=REDACTED"),
            ("/x?%74oken=a&to%6Ben=b&api+key=c", "/x?%74oken=REDACTED&to%6Ben=REDACTED&api+key=REDACTED"),
            ("/x?token", "/x?token"), ("/x?token=", "/x?token=REDACTED"),
            ("/x?a=token%3Dv", "/x?a=token%3Dv"),
            ("/x?token=a=b&q=1", "/x?token=REDACTED&q=1"), ("/x?", "/x?"),
        ])
    func redaction(target: String, logged: String) {
        #expect(RequestTargetRedaction.redacted(target) == logged)
    }

    @Test("a request with a token in the query string is logged at debug without it")
    func requestLineHasNoToken() throws {
        let log = ServiceLogLines(level: .trace)
        let lines = log.lines
        let logger = log.logger
        let secret = "7c4a8d09ca3762af61e59520943dc264"
        let test = try TestService(logger: logger) { $0.token = AccessToken(secret) }
        defer { test.stop() }
        let client = try CurlClient()
        let status = try client.post(
            test.url("/samples?token=\(secret)&access_token=\(secret)&metric=a"), body: Array("{}".utf8),
            headers: [("Content-Type", "application/json"), ("X-Api-Key", secret)]
        ).status
        #expect(status == 401)
        let deadline = Date().addingTimeInterval(5)
        while !lines.withLock({ $0.contains { $0.contains("POST /samples") } }), Date() < deadline {
            usleep(10_000)
        }
        let logged = lines.withLock { $0 }
        #expect(
            logged.contains {
                $0.contains("POST /samples?token=REDACTED&access_token=REDACTED&metric=a 401")
            },
            "\(logged)")
        #expect(!logged.joined().contains(secret))
    }
}
