import Dispatch
import SLOWatchHTTP
import TestRawClient
import Testing

/// `stop()`: stop accepting, let in-flight requests finish, end streams with a final chunk, then return.
@Suite struct ShutdownTests {
    @Test func stopDrainsAnInFlightRequestThenReturnsAndRefusesNewConnections() throws {
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let server = try TestServer(
            configure: { $0.shutdownGrace = .seconds(4) },
            routes: { router in
                router.add(.get, "/slow") { _ in
                    entered.signal()
                    _ = release.wait(timeout: .now() + 5)
                    return HTTPResponse(status: 200, body: Array("done".utf8))
                }
            })
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 5000)
        try client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(entered.wait(timeout: .now() + 3) == .success)

        let stopped = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            server.stop()
            stopped.signal()
        }
        // stop() must wait for the handler; give it a moment to (wrongly) return early.
        #expect(stopped.wait(timeout: .now() + .milliseconds(300)) == .timedOut)
        release.signal()

        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == "done")
        #expect(stopped.wait(timeout: .now() + 5) == .success)
        #expect(RawClient.canConnect(port: server.port) == false)
    }

    @Test func stopGivesUpOnAnUnfinishedRequestAfterTheGracePeriod() throws {
        // The body never arrives and the body timeout is far away, so only the grace bound ends it.
        let server = try TestServer(configure: {
            $0.shutdownGrace = .milliseconds(300)
            $0.bodyTimeout = .seconds(30)
        })
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 5000)
        try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly part")
        #expect(RawClient.canConnect(port: server.port))
        let start = ContinuousClock.now
        server.stop()
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .milliseconds(250))
        #expect(elapsed < .seconds(5))
        // The server closed the connection (the read reaches end of stream well within its timeout).
        #expect((try? client.readUntilClosed()) != nil)
        #expect(server.server.openConnections == 0)
    }

    @Test func stopEndsAnOpenStreamWithAFinalChunk() throws {
        let started = DispatchSemaphore(value: 0)
        let closed = DispatchSemaphore(value: 0)
        let server = try TestServer(
            configure: { $0.shutdownGrace = .seconds(2) },
            routes: { router in
                router.addStream(
                    .get, "/events", head: { _ in HTTPResponse(status: 200) },
                    { _, writer in
                        writer.onClose { closed.signal() }
                        writer.write(Array("first".utf8))
                        started.signal()
                    })
            })
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 4000)
        try client.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(started.wait(timeout: .now() + 3) == .success)

        let stopped = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            server.stop()
            stopped.signal()
        }
        // readResponse returns only once the zero-length final chunk has arrived.
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == "first")
        #expect(closed.wait(timeout: .now() + 3) == .success)
        #expect(stopped.wait(timeout: .now() + 5) == .success)
    }

    @Test func stopClosesIdleKeepAliveConnections() throws {
        // A grace period far above the bound below: closing idle connections must not wait for it.
        let server = try TestServer(configure: { $0.shutdownGrace = .seconds(20) })
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 4000)
        try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try client.readResponse().status == 200)
        let start = ContinuousClock.now
        server.stop()
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(client.closesWithoutMoreBytes())
        #expect(server.server.openConnections == 0)
    }

    @Test func stopCalledFromAHandlerReturnsAndTheServerStillStops() throws {
        let box = Locked<HTTPServer?>(nil)
        let returned = DispatchSemaphore(value: 0)
        let server = try TestServer(
            configure: { $0.shutdownGrace = .seconds(20) },
            routes: { router in
                router.add(.get, "/stop") { _ in
                    box.value?.stop()
                    returned.signal()
                    return HTTPResponse(status: 200, body: Array("stopping".utf8))
                }
            })
        defer { server.stop() }
        box.withLock { $0 = server.server }
        let client = try server.rawClient(timeoutMilliseconds: 4000)
        try client.send("GET /stop HTTP/1.1\r\nHost: t\r\n\r\n")
        // stop() on a loop thread must neither join its own thread nor wait for itself.
        #expect(returned.wait(timeout: .now() + 3) == .success)
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == "stopping")
        #expect(response.tokens("Connection") == ["close"])
        #expect(client.closesWithoutMoreBytes())

        // A later stop() from outside waits until the shutdown the handler began has completed.
        let start = ContinuousClock.now
        server.server.stop()
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(server.server.openConnections == 0)
        #expect(RawClient.canConnect(port: server.port) == false)
    }
}
