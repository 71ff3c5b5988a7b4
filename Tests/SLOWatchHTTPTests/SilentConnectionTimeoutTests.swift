import Glibc
import SLOWatchHTTP
import Testing

/// The head timeout on a connection that never sends a byte: the timer is armed at accept, so a silent
/// new connection gets an unsolicited 408 and is closed after the head timeout (not after the idle
/// timeout, which only applies between requests of a keep-alive connection). The README's wording of
/// `--head-timeout` states this (issue 19, item 6).
@Suite struct SilentConnectionTimeoutTests {
    @Test func connectionThatSendsNothingGets408AfterTheHeadTimeoutAndIsClosed() throws {
        let server = try TestServer(configure: {
            $0.headTimeout = .milliseconds(300)
            $0.idleTimeout = .seconds(10)
        })
        defer { server.stop() }
        let start = ContinuousClock.now
        let client = try server.rawClient(timeoutMilliseconds: 3000)
        let response = try client.readResponse()
        let elapsed = ContinuousClock.now - start
        #expect(response.status == 408)
        #expect(response.errorCode == "request_timeout")
        #expect(response.tokens("Connection").map { $0.lowercased() } == ["close"])
        #expect(elapsed >= .milliseconds(250), "408 came after \(elapsed), before the head timeout")
        #expect(elapsed < .seconds(3), "408 came after \(elapsed), not after the head timeout")
        #expect(client.closesWithoutMoreBytes())
    }

    @Test func silentConnectionIsNotAnsweredBeforeTheHeadTimeout() throws {
        let server = try TestServer(configure: { $0.headTimeout = .seconds(2) })
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 500)
        // Nothing arrives within 500 ms: the read times out instead of returning a 408 or a close.
        #expect(throws: (any Error).self) { try client.readResponse() }
    }
}
