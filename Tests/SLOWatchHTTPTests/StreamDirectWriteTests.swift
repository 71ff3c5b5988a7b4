import Dispatch
import SLOWatchHTTP
import Testing

/// ``HTTPStreamWriter/writeOnLoop(_:)``: a chunk framed once, written from the loop's own thread
/// straight to the socket, keeps the stream's order, framing and bounds.
@Suite struct StreamDirectWriteTests {
    /// A route whose stream writes `a` through the queue, then `b` and `c` from the loop with
    /// `writeOnLoop` (the first waits behind the queued `a`, the second may go straight out), then ends.
    private static func orderedRoutes(_ router: inout HTTPRouter) {
        router.addStream(
            .get, "/ordered", head: { _ in HTTPResponse(status: 200) },
            { _, writer in
                writer.write(Array("a".utf8))
                writer.runOnLoop {
                    writer.writeOnLoop(HTTPStreamChunk(Array("b".utf8)))
                    writer.runOnLoop {
                        writer.writeOnLoop(HTTPStreamChunk(Array("cc".utf8)))
                        writer.finish()
                    }
                }
            })
    }

    @Test func chunksWrittenOnTheLoopFollowQueuedBytesInOrderAndChunked() throws {
        let server = try TestServer(routes: Self.orderedRoutes)
        defer { server.stop() }
        let client = try server.rawClient()
        try client.send("GET /ordered HTTP/1.1\r\nHost: t\r\n\r\n")
        let bytes = try client.readUntilClosed()
        let text = String(decoding: bytes, as: UTF8.self)
        // Each write is one chunk of its own, in write order, then the last chunk.
        #expect(text.hasSuffix("\r\n\r\n1\r\na\r\n1\r\nb\r\n2\r\ncc\r\n0\r\n\r\n"), "\(text)")
    }

    @Test func anHTTP10StreamGetsTheChunksUnframed() throws {
        let server = try TestServer(routes: Self.orderedRoutes)
        defer { server.stop() }
        let client = try server.rawClient()
        try client.send("GET /ordered HTTP/1.0\r\nHost: t\r\n\r\n")
        let text = String(decoding: try client.readUntilClosed(), as: UTF8.self)
        #expect(text.hasSuffix("\r\n\r\nabcc"), "\(text)")
    }

    @Test func writeOnLoopFromAnotherThreadQueuesLikeWrite() throws {
        let server = try TestServer(routes: { router in
            router.addStream(
                .get, "/elsewhere", head: { _ in HTTPResponse(status: 200) },
                { _, writer in
                    DispatchQueue.global().async {
                        writer.writeOnLoop(HTTPStreamChunk(Array("x".utf8)))
                        writer.finish()
                    }
                })
        })
        defer { server.stop() }
        let client = try server.rawClient()
        try client.send("GET /elsewhere HTTP/1.1\r\nHost: t\r\n\r\n")
        let text = String(decoding: try client.readUntilClosed(), as: UTF8.self)
        #expect(text.hasSuffix("\r\n\r\n1\r\nx\r\n0\r\n\r\n"), "\(text)")
    }

    /// A client that stops reading after a chunk the socket took only in part: the rest waits in the
    /// connection's output, so the connection is now on its loop's timer list and the write-stall
    /// timeout resets it, with no further write to notice it.
    @Test func aChunkTheSocketTookInPartIsBoundByTheWriteStallTimeout() throws {
        let closed = DispatchSemaphore(value: 0)
        let accepted = Locked<Bool?>(nil)
        let server = try TestServer(
            configure: {
                $0.writeStallTimeout = .milliseconds(300)
                $0.maxOutboundBytes = 8 * 1024 * 1024
            },
            routes: { router in
                router.addStream(
                    .get, "/large", head: { _ in HTTPResponse(status: 200) },
                    { _, writer in
                        writer.onClose { closed.signal() }
                        writer.runOnLoop {
                            // Far more than the socket's buffers hold for a client that reads nothing.
                            let chunk = HTTPStreamChunk([UInt8](repeating: 0x61, count: 4 * 1024 * 1024))
                            accepted.withLock { $0 = writer.writeOnLoop(chunk) }
                        }
                    })
            })
        defer { server.stop() }
        let stalled = try server.rawClient(receiveBufferBytes: 4096)
        try stalled.send("GET /large HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(closed.wait(timeout: .now() + 10) == .success)
        #expect(accepted.value == true)
    }

    @Test func aChunkLargerThanTheOutboundBoundIsRefused() throws {
        let refused = DispatchSemaphore(value: 0)
        let server = try TestServer(
            configure: { $0.maxOutboundBytes = 64 * 1024 },
            routes: { router in
                router.addStream(
                    .get, "/huge", head: { _ in HTTPResponse(status: 200) },
                    { _, writer in
                        writer.runOnLoop {
                            let chunk = HTTPStreamChunk([UInt8](repeating: 0x62, count: 128 * 1024))
                            if !writer.writeOnLoop(chunk) { refused.signal() }
                        }
                    })
            })
        defer { server.stop() }
        let client = try server.rawClient()
        try client.send("GET /huge HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(refused.wait(timeout: .now() + 5) == .success)
    }
}
