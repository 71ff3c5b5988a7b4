import Dispatch
import Glibc
import SLOWatchHTTP
import Testing

/// Deep pipelining: many requests in one write are all answered in order, and a client that pipelines
/// while not reading is throttled (the server stops taking requests while its outbound backlog is full)
/// and then fully served once it reads again.
@Suite struct PipelineBacklogTests {
    @Test func thousandPipelinedRequestsInOneWriteAreAllAnsweredInOrder() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 3000)
        var batch = ""
        for index in 0..<1000 { batch += "GET /id/\(index) HTTP/1.1\r\nHost: t\r\n\r\n" }
        try client.send(batch)
        for index in 0..<1000 {
            let response = try client.readResponse()
            #expect(response.status == 200)
            try #require(response.bodyText == "\(index)")
        }
    }

    @Test func clientThatPipelinesWithoutReadingIsThrottledThenFullyServed() throws {
        let handled = Locked(0)
        let body = [UInt8](repeating: 0x61, count: 8 * 1024)
        let server = try TestServer(
            configure: { $0.maxOutboundBytes = 64 * 1024 },
            routes: { router in
                router.add(.get, "/big") { _ in
                    handled.withLock { $0 += 1 }
                    return HTTPResponse(status: 200, body: body)
                }
            })
        defer { server.stop() }
        let count = 2000
        let request = Array("GET /big HTTP/1.1\r\nHost: t\r\n\r\n".utf8)
        // 2000 × 8 KiB = 16 MB of responses: far more than the kernel buffers hold while the client
        // does not read, so the server must stop taking requests, then resume when the client reads.
        let client = try server.rawClient(timeoutMilliseconds: 5000, receiveBufferBytes: 64 * 1024)
        let sender = DispatchSemaphore(value: 0)
        let sendFailed = Locked(false)
        let payload = (0..<count).flatMap { _ in request }
        nonisolated(unsafe) let sendingClient = client
        DispatchQueue.global().async {
            do { try sendingClient.send(payload) } catch { sendFailed.withLock { $0 = true } }
            sender.signal()
        }
        usleep(300_000)
        let whileStalled = handled.value
        #expect(whileStalled < count)
        for _ in 0..<count {
            let response = try client.readResponse()
            try #require(response.status == 200)
            try #require(response.body.count == body.count)
        }
        #expect(sender.wait(timeout: .now() + 5) == .success)
        #expect(!sendFailed.value)
        #expect(handled.value == count)
    }
}
