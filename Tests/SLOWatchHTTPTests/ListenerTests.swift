import SLOWatchHTTP
import TestCurlClient
import Testing

/// The listener: IPv4 and IPv6 literals, ephemeral ports reported back, the documented defaults, and a
/// clear error for an address that cannot be bound.
@Suite struct ListenerTests {
    @Test func theDefaultsAreTheDocumentedOnes() {
        let configuration = HTTPServerConfiguration()
        #expect(configuration.backlog >= 1024)
        #expect(configuration.maxConnections == 10_000)
        #expect(configuration.maxBodyBytes == 1 << 20)
        #expect(configuration.headTimeout == .seconds(10))
        #expect(configuration.bodyTimeout == .seconds(10))
        #expect(configuration.idleTimeout == .seconds(60))
        #expect(configuration.shutdownGrace == .seconds(10))
        #expect(configuration.maxOutboundBytes == 1 << 20)
    }

    @Test func anIPv6LoopbackServerOnPortZeroReportsItsPortAndServes() throws {
        let server = try TestServer(configure: { $0.host = "::1" })
        defer { server.stop() }
        #expect(server.port > 0)
        #expect(server.server.port == server.port)
        let client = try CurlClient()
        let response = try client.get("http://[::1]:\(server.port)/hello")
        #expect(response.status == 200)
        #expect(response.bodyText == "hello")
    }

    @Test func twoServersOnPortZeroGetDifferentPorts() throws {
        let first = try TestServer()
        defer { first.stop() }
        let second = try TestServer()
        defer { second.stop() }
        #expect(first.port != second.port)
    }

    @Test(arguments: ["not-an-address", "256.0.0.1", "::zz"])
    func aHostThatIsNotAnIPLiteralIsAClearError(_ host: String) {
        var configuration = HTTPServerConfiguration()
        configuration.host = host
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, router: HTTPRouter())
        do {
            try server.start()
            server.stop()
            Issue.record("start() accepted the host \(host)")
        } catch {
            #expect(error.message.contains(host))
        }
    }

    @Test func aPortAlreadyInUseIsAClearError() throws {
        let first = try TestServer()
        defer { first.stop() }
        var configuration = HTTPServerConfiguration()
        configuration.port = first.port
        let server = HTTPServer(configuration: configuration, router: HTTPRouter())
        do {
            try server.start()
            server.stop()
            Issue.record("a second server bound port \(first.port)")
        } catch {
            #expect(error.message.contains("\(first.port)"))
        }
    }
}
