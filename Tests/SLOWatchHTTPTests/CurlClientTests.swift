import Dispatch
import Glibc
import SLOWatchHTTP
import TestCurlClient
import Testing

/// End-to-end behaviour of the server through libcurl over a real socket.
@Suite struct CurlClientTests {
    @Test func getReturnsTheHandlersStatusHeadersAndBody() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try CurlClient()
        let response = try client.get(server.url("/hello"))
        #expect(response.status == 200)
        #expect(response.bodyText == "hello")
        #expect(response.header("Content-Type") == "text/plain")
        #expect(response.header("Content-Length") == "5")
        #expect(response.header("Date") != nil)
        #expect(response.interimStatuses.isEmpty)
    }

    @Test func postDeliversTheWholeBodyToTheHandler() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try CurlClient()
        let body = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let response = try client.post(server.url("/echo"), body: body)
        #expect(response.status == 200)
        #expect(response.header("X-Body-Length") == "10000")
        #expect(response.body == body)
    }

    @Test func secondRequestOnTheSameClientReusesTheKeptAliveConnection() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try CurlClient()
        let first = try client.get(server.url("/hello"))
        let second = try client.post(server.url("/echo"), body: Array("again".utf8))
        let third = try client.get(server.url("/id/3"))
        #expect(first.status == 200)
        #expect(first.numConnects == 1)
        #expect(second.status == 200 && second.bodyText == "again")
        #expect(second.numConnects == 0)
        #expect(third.bodyText == "3")
        #expect(third.numConnects == 0)
    }

    @Test func chunkedUploadArrivesWholeAtTheHandler() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try CurlClient()
        let parts: [[UInt8]] = [
            Array("first,".utf8), Array(repeating: 0x61, count: 20_000), Array(",last".utf8),
        ]
        let response = try client.postChunked(server.url("/echo"), parts: parts)
        #expect(response.status == 200)
        #expect(response.header("X-Transfer-Encoding")?.lowercased() == "chunked")
        #expect(response.header("X-Body-Length") == String(parts.joined().count))
        #expect(response.body == Array(parts.joined()))
    }

    @Test func expectContinueGetsA100BeforeTheFinalResponse() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try CurlClient()
        // Long enough that a missing 100 would make libcurl fall back to sending after this timeout.
        client.expectContinueTimeoutMilliseconds = 4000
        let body = Array(repeating: UInt8(0x62), count: 50_000)
        let response = try client.postExpectContinue(server.url("/echo"), body: body)
        #expect(response.interimStatuses == [100])
        #expect(response.status == 200)
        #expect(response.body == body)
    }

    @Test func expectContinueToAnUnknownPathGets404WithoutA100() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try CurlClient()
        client.expectContinueTimeoutMilliseconds = 4000
        let response = try client.postExpectContinue(
            server.url("/nowhere"), body: Array(repeating: 1, count: 5000))
        #expect(response.status == 404)
        #expect(response.interimStatuses.isEmpty)
    }

    @Test func expectContinueWithTooLargeContentLengthGets413WithoutA100() throws {
        let server = try TestServer(configure: { $0.maxBodyBytes = 1024 })
        defer { server.stop() }
        let client = try CurlClient()
        client.expectContinueTimeoutMilliseconds = 4000
        let response = try client.postExpectContinue(
            server.url("/echo"), body: Array(repeating: 1, count: 4096))
        #expect(response.status == 413)
        #expect(response.interimStatuses.isEmpty)
    }

    @Test func streamChunksReachTheClientBeforeTheStreamEnds() throws {
        let firstSeen = DispatchSemaphore(value: 0)
        let handlerTimedOut = Locked(false)
        let server = try TestServer(routes: { router in
            router.addStream(
                .get, "/stream",
                head: { _ in HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"]) },
                { _, writer in
                    DispatchQueue.global().async {
                        writer.write(Array("one;".utf8))
                        // The rest is written only after the client has seen the first chunk.
                        if firstSeen.wait(timeout: .now() + 5) == .timedOut {
                            handlerTimedOut.withLock { $0 = true }
                        }
                        writer.write(Array("two;".utf8))
                        writer.write(Array("three".utf8))
                        writer.finish()
                    }
                })
        })
        defer { server.stop() }
        let client = try CurlClient()
        var received: [UInt8] = []
        var signalled = false
        let response = try client.stream(server.url("/stream"), timeoutMilliseconds: 8000) { chunk in
            received += chunk
            if !signalled && received.starts(with: Array("one;".utf8)) {
                signalled = true
                firstSeen.signal()
            }
            return true
        }
        #expect(handlerTimedOut.value == false)
        #expect(response.status == 200)
        #expect(response.header("Transfer-Encoding")?.lowercased() == "chunked")
        #expect(response.bodyText == "one;two;three")
        #expect(response.stoppedByClient == false)
    }

    @Test func streamClientCanStopReadingEarly() throws {
        let closed = DispatchSemaphore(value: 0)
        let server = try TestServer(routes: { router in
            router.addStream(
                .get, "/ticks", head: { _ in HTTPResponse(status: 200) },
                { _, writer in
                    writer.onClose { closed.signal() }
                    DispatchQueue.global().async {
                        // Ticks 1 ms apart until the client goes away (bounded to ~2 s).
                        for tick in 0..<2000 {
                            guard writer.write(Array("tick \(tick)\n".utf8)) else { break }
                            usleep(1000)
                        }
                        writer.finish()
                    }
                })
        })
        defer { server.stop() }
        let client = try CurlClient()
        let response = try client.stream(server.url("/ticks"), timeoutMilliseconds: 5000) { _ in false }
        #expect(response.stoppedByClient)
        #expect(response.bodyText.hasPrefix("tick 0"))
        // libcurl closes a connection whose transfer was aborted; the server notices and calls onClose.
        #expect(closed.wait(timeout: .now() + 5) == .success)
    }
}
