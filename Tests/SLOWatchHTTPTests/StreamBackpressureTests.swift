import Dispatch
import SLOWatchHTTP
import Testing

/// A stream client that stops reading is disconnected once `maxOutboundBytes` is queued for it, without
/// blocking the writer or other clients.
@Suite struct StreamBackpressureTests {
    @Test func streamClientThatStopsReadingIsDroppedWhileOthersAreServed() throws {
        let writeRefused = DispatchSemaphore(value: 0)
        let closed = DispatchSemaphore(value: 0)
        let bytesAccepted = Locked(0)
        let server = try TestServer(
            configure: { $0.maxOutboundBytes = 64 * 1024 },
            routes: { router in
                TestServer.standardRoutes(&router)
                router.addStream(
                    .get, "/firehose", head: { _ in HTTPResponse(status: 200) },
                    { _, writer in
                        writer.onClose { closed.signal() }
                        DispatchQueue.global().async {
                            let chunk = [UInt8](repeating: 0x7A, count: 16 * 1024)
                            let deadline = ContinuousClock.now + .seconds(8)
                            while ContinuousClock.now < deadline {
                                guard writer.write(chunk) else {
                                    writeRefused.signal()
                                    return
                                }
                                bytesAccepted.withLock { $0 += chunk.count }
                            }
                            writer.finish()
                        }
                    })
            })
        defer { server.stop() }

        // A small receive buffer so the kernel cannot absorb much on the client's behalf.
        let stalled = try server.rawClient(receiveBufferBytes: 4096)
        try stalled.send("GET /firehose HTTP/1.1\r\nHost: t\r\n\r\n")

        let other = try server.rawClient()
        try other.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try other.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == "hello")

        #expect(writeRefused.wait(timeout: .now() + 5) == .success)
        #expect(closed.wait(timeout: .now() + 5) == .success)
        // The writer was stopped long before its 8 s budget could push an unbounded amount.
        #expect(bytesAccepted.value < 64 * 1024 * 1024)

        // The server is still healthy for new clients after dropping the stalled one.
        let after = try server.exchange("GET /id/after HTTP/1.1\r\nHost: t\r\n\r\n").response
        #expect(after.bodyText == "after")
    }

    @Test func writerReturnsFalseAndOnCloseFiresWhenTheStreamClientDisconnects() throws {
        let started = DispatchSemaphore(value: 0)
        let closed = DispatchSemaphore(value: 0)
        let writer = Locked<HTTPStreamWriter?>(nil)
        let server = try TestServer(routes: { router in
            router.addStream(
                .get, "/events", head: { _ in HTTPResponse(status: 200) },
                { _, streamWriter in
                    streamWriter.onClose { closed.signal() }
                    streamWriter.write(Array("hello\n".utf8))
                    writer.withLock { $0 = streamWriter }
                    started.signal()
                })
        })
        defer { server.stop() }
        let client = try server.rawClient()
        try client.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(started.wait(timeout: .now() + 3) == .success)
        client.close()
        #expect(closed.wait(timeout: .now() + 3) == .success)
        let streamWriter = try #require(writer.value)
        #expect(streamWriter.isClosed)
        #expect(streamWriter.write(Array("late\n".utf8)) == false)
    }
}
