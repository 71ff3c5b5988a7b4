import Foundation
import TestRawClient
import Testing

@testable import SLOWatchService

/// The connection timeouts as settings: `--head-timeout`, `--body-timeout`, `--idle-timeout` and
/// `--write-stall-timeout` reach the real binary's HTTP server, and their environment variables and file
/// keys follow the pattern of every other setting.
@Suite struct TimeoutSettingTests {
    @Test func headAndBodyTimeoutFlagsShortenTheBinarysTimeouts() throws {
        let child = try SlowatchProcess([
            "--port", "0", "--head-timeout", "400ms", "--body-timeout", "300ms", "--write-stall-timeout",
            "1s",
        ])
        defer { child.kill() }
        let port = try #require(child.boundPort(), "slowatch did not start: \(child.standardError)")

        let partialHead = try RawClient(port: port, timeoutMilliseconds: 3000)
        let start = ContinuousClock.now
        try partialHead.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        let headTimedOut = try partialHead.readResponse()
        #expect(headTimedOut.status == 408)
        #expect(headTimedOut.errorMessage?.contains("within 400 ms") == true, "\(headTimedOut.bodyText)")
        #expect(ContinuousClock.now - start < .seconds(2))

        let stalledBody = try RawClient(port: port, timeoutMilliseconds: 3000)
        try stalledBody.send(
            "POST /samples HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n{\"metric\":")
        let bodyTimedOut = try stalledBody.readResponse()
        #expect(bodyTimedOut.status == 408)
        #expect(bodyTimedOut.errorMessage?.contains("more than 300 ms") == true, "\(bodyTimedOut.bodyText)")
    }

    @Test func timeoutsResolveFromTheEnvironmentAndTheFileWithTheirDefaults() throws {
        let defaults = ResolvedSettings()
        #expect(defaults.value(of: .headTimeout) == .milliseconds(10_000))
        #expect(defaults.value(of: .bodyTimeout) == .milliseconds(10_000))
        #expect(defaults.value(of: .idleTimeout) == .milliseconds(60_000))
        #expect(defaults.value(of: .writeStallTimeout) == .milliseconds(30_000))
        #expect(SettingKey.writeStallTimeout.flag == "--write-stall-timeout")
        #expect(SettingKey.writeStallTimeout.environmentVariable == "SLOWATCH_WRITE_STALL_TIMEOUT")

        let file = try ConfigFile.parse("idleTimeout: 2m\nheadTimeout: 3s\n", path: "t.yaml")
        let resolved = try SettingsResolver(
            environment: ["SLOWATCH_WRITE_STALL_TIMEOUT": "45s", "SLOWATCH_HEAD_TIMEOUT": "1500ms"],
            file: file
        ).resolve()
        #expect(resolved.configuration.idleTimeoutMilliseconds == 120_000)
        #expect(resolved.configuration.headTimeoutMilliseconds == 1_500, "the environment beats the file")
        #expect(resolved.configuration.writeStallTimeoutMilliseconds == 45_000)
        #expect(resolved.configuration.bodyTimeoutMilliseconds == 10_000)

        #expect(throws: ConfigError.self) {
            try SettingsResolver(flags: [.bodyTimeout: "0s"]).resolve()
        }
        #expect(
            SettingKey.bodyTimeout.invalidValueMessage("0s", source: "--body-timeout")
                == "The value \"0s\" of --body-timeout is not valid: it must be \(DurationText.rule).")
    }
}
