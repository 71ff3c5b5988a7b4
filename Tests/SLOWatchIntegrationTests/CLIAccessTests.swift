import Foundation
import TestCurlClient
import Testing

/// The access settings through the real `slowatch` binary: the refusals, `--token-file`, and a token
/// that never reaches the logs.
@Suite("CLI access")
struct CLIAccessTests {
    static let secret = "7c4a8d09ca3762af61e59520943dc26494f8941b"

    @Test("serve refuses a non-loopback host without a token, exits 78 and says why and which flag to use")
    func nonLoopbackWithoutToken() throws {
        // Refused before binding, so nothing listens on the wildcard address even for a moment.
        let result = try SlowatchProcess.run(["--host", "0.0.0.0", "--port", "0"])
        #expect(result.status == 78, "\(result.standardError)")
        #expect(
            result.standardError.contains(
                "Refusing to listen on 0.0.0.0 (from the flag --host) without a token"))
        #expect(result.standardError.contains("--insecure"))
        #expect(!result.standardError.contains("listening on"))
        // check-config gives the same verdict, and accepts the explicit opt-out (it binds nothing).
        let example = SlowatchProcess.packageRoot.appendingPathComponent("examples/slowatch.yaml").path
        let refused = try SlowatchProcess.run(
            ["check-config", example], environment: ["SLOWATCH_HOST": "::"])
        #expect(refused.status == 78)
        #expect(refused.standardError.contains("(from the environment SLOWATCH_HOST)"))
        let accepted = try SlowatchProcess.run(["check-config", example, "--host", "0.0.0.0", "--insecure"])
        #expect(accepted.status == 0, "\(accepted.standardError)")
        #expect(accepted.standardOutput.contains("insecure"))
    }

    @Test(
        "serve refuses StatsD on a non-loopback address without --statsd-allow-remote, saying UDP has no authentication"
    )
    func remoteStatsD() throws {
        let result = try SlowatchProcess.run(["--port", "0", "--statsd", "0.0.0.0:0"])
        #expect(result.status == 78, "\(result.standardError)")
        #expect(
            result.standardError.contains(
                "Refusing to take StatsD lines on 0.0.0.0:0 (from the flag --statsd)"))
        #expect(result.standardError.contains("no authentication"))
        #expect(result.standardError.contains("--statsd-allow-remote"))
        let example = SlowatchProcess.packageRoot.appendingPathComponent("examples/slowatch.yaml").path
        let accepted = try SlowatchProcess.run(
            ["check-config", example, "--statsd", "0.0.0.0:8125", "--statsd-allow-remote"])
        #expect(accepted.status == 0, "\(accepted.standardError)")
    }

    @Test("serve --token-file guards writes with the file's token, and a bad token file exits 78 naming it")
    func tokenFile() throws {
        let path = try TemporaryFile.create(Self.secret + "\n", prefix: "slowatch-cli-token")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let child = try SlowatchProcess(["--port", "0", "--token-file", path])
        defer { child.kill() }
        let port = try #require(child.boundPort(), "startup line: \(child.standardError)")
        let url = "http://127.0.0.1:\(port)/samples"
        let client = try CurlClient()
        let body = Array(#"{"metric":"a","value":1}"#.utf8)
        let json = [("Content-Type", "application/json")]
        #expect(try client.post(url, body: body, headers: json).status == 401)
        #expect(
            try client.post(url, body: body, headers: json + [("Authorization", "Bearer \(Self.secret)")])
                .status
                == 200)
        #expect(
            child.waitForStandardError(
                containing: "Access: writes (POST, PUT, DELETE) need Authorization: Bearer <token>."))
        // The short-token warning would have come before that line.
        #expect(!child.standardError.contains("shorter than"))
        // A short token works, with a warning that does not show it.
        let short = try SlowatchProcess(["--port", "0", "--token", "abc123"])
        defer { short.kill() }
        #expect(short.boundPort() != nil, "\(short.standardError)")
        #expect(short.waitForStandardError(containing: "the token is shorter than 16 characters"))
        #expect(!short.standardError.contains("abc123"))
        let missing = try SlowatchProcess.run(["--port", "0", "--token-file", path + ".missing"])
        #expect(missing.status == 78)
        #expect(missing.standardError.contains("of --token-file cannot be read: No such file or directory"))
        let both = try SlowatchProcess.run(
            ["--port", "0", "--token-file", path], environment: ["SLOWATCH_TOKEN": Self.secret])
        #expect(both.status == 78)
        #expect(both.standardError.contains("give only one of them"))
        #expect(!both.standardError.contains(Self.secret))
    }

    @Test(
        "the token never appears in the output: debug request logs (query and headers), check-config, --help, errors",
        arguments: [("text", false), ("json", true)])
    func tokenNeverLogged(format: String, fromFile: Bool) throws {
        // The token from SLOWATCH_TOKEN in one run, from --token-file in the other.
        let path = try TemporaryFile.create(Self.secret, prefix: "slowatch-cli-token")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let arguments = ["--port", "0", "--log-level", "trace", "--log-format", format, "--protect-reads"]
        let child =
            fromFile
            ? try SlowatchProcess(arguments + ["--token-file", path])
            : try SlowatchProcess(arguments, environment: ["SLOWATCH_TOKEN": Self.secret])
        defer { child.kill() }
        let port = try #require(child.boundPort(), "startup line: \(child.standardError)")
        let base = "http://127.0.0.1:\(port)"
        let client = try CurlClient()
        let right = [("Authorization", "Bearer \(Self.secret)")]
        // A near miss, which a careless error message might quote next to the real token.
        let nearMiss = String(Self.secret.dropLast()) + "0"
        let wrong = [("Authorization", "Bearer \(nearMiss)")]
        let json = [("Content-Type", "application/json")]
        let body = Array(#"{"metric":"a","value":1}"#.utf8)
        #expect(try client.post(base + "/samples", body: body, headers: json + right).status == 200)
        #expect(try client.post(base + "/samples", body: body, headers: json + wrong).status == 401)
        #expect(try client.get(base + "/metrics", headers: right).status == 200)
        #expect(try client.get(base + "/metrics", headers: wrong).status == 401)
        #expect(try client.get(base + "/metrics/a/percentiles", headers: right).status == 200)
        #expect(
            try client.post(base + "/samples", body: Array("{".utf8), headers: json + right).status == 400)
        // Bodies the service rejects, sent with the token: their errors are logged at debug too.
        #expect(
            try client.request(
                method: "PUT", url: base + "/slos/a", body: Array("[]".utf8), headers: json + right
            ).status == 400)
        #expect(child.waitForStandardError(containing: "PUT /slos/a 400"), "the requests are logged at debug")
        // The token in the query string (refused: only the header carries it), under credential-like
        // names, one percent-encoded; and in headers that are never logged.
        let query =
            "?token=\(Self.secret)&access_token=\(Self.secret);api_key=\(nearMiss)&%74oken=\(Self.secret)"
            + "&Password=\(Self.secret)&metric=a"
        let refused = try client.post(base + "/samples" + query, body: body, headers: json).status
        #expect(refused == 401 || refused == 400, "\(refused)")
        let headers = [
            ("X-Api-Key", Self.secret), ("Cookie", "token=\(Self.secret)"),
            ("Proxy-Authorization", "Bearer \(Self.secret)"), ("X-Auth-Token", Self.secret),
        ]
        _ = try client.get(base + "/healthz?secret=\(Self.secret)", headers: headers + right)
        let redacted =
            "POST /samples?token=REDACTED&access_token=REDACTED;api_key=REDACTED&%74oken=REDACTED"
            + "&Password=REDACTED&metric=a \(refused)"
        #expect(child.waitForStandardError(containing: redacted), "\(child.standardError)")
        #expect(child.waitForStandardError(containing: "GET /healthz?secret=REDACTED "))
        child.send(SIGTERM)
        #expect(child.waitForExit(timeout: 15) == 0)
        let config = try SlowatchProcess.run(
            [
                "check-config",
                SlowatchProcess.packageRoot.appendingPathComponent("examples/slowatch.yaml").path,
                "--token", Self.secret,
            ])
        #expect(config.status == 0)
        #expect(config.standardOutput.contains("(hidden)"))
        let badToken = Self.secret + " trailing"
        let invalid = try SlowatchProcess.run(["--port", "0", "--token", badToken])
        #expect(invalid.status == 78)
        let help = try SlowatchProcess.run(["serve", "--help"], environment: ["SLOWATCH_TOKEN": Self.secret])
        let everything = [
            child.standardOutput, child.standardError, config.standardOutput, config.standardError,
            invalid.standardOutput, invalid.standardError, help.standardOutput, help.standardError,
        ].joined()
        #expect(everything.contains("Bearer") || everything.contains("token"), "the output was captured")
        for secret in [Self.secret, nearMiss, String(Self.secret.prefix(12)), String(Self.secret.suffix(12))]
        {
            #expect(!everything.contains(secret), "\(secret) appears in the output")
        }
    }
}
