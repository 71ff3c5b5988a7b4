import Dispatch
import SLOWatchHTTP
import Testing

/// A deferred route answers from another thread; the loop writes the answer when it arrives, in order.
@Suite struct DeferredResponseTests {
    /// `/slow/:id` answers its id 300 ms later, from a Dispatch worker.
    private static func slowRoute(_ router: inout HTTPRouter) {
        router.addDeferred(.get, "/slow/:id") { request, responder in
            let id = request.pathParameters["id"] ?? ""
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(300)) {
                responder.respond(HTTPResponse(status: 200, body: Array("slow \(id)".utf8)))
                // A second answer is ignored.
                responder.respond(HTTPResponse(status: 500))
            }
        }
    }

    @Test func aRequestPipelinedBehindADeferredOneIsAnsweredAfterIt() throws {
        let server = try TestServer(routes: { router in
            TestServer.standardRoutes(&router)
            Self.slowRoute(&router)
        })
        defer { server.stop() }
        let client = try server.rawClient()
        try client.send(
            "GET /slow/1 HTTP/1.1\r\nHost: t\r\n\r\n"
                + "GET /id/2 HTTP/1.1\r\nHost: t\r\n\r\n"
                + "GET /slow/3 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        let responses = try (0..<3).map { _ in try client.readResponse() }
        #expect(responses.map(\.status) == [200, 200, 200])
        #expect(responses.map(\.bodyText) == ["slow 1", "2", "slow 3"])
        #expect(responses[2].tokens("Connection").map { $0.lowercased() } == ["close"])
        #expect(client.closesWithoutMoreBytes())
    }

    @Test func otherConnectionsOfTheLoopAreServedWhileAnAnswerIsPending() throws {
        let server = try TestServer(
            configure: { $0.ioThreads = 1 },
            routes: { router in
                TestServer.standardRoutes(&router)
                Self.slowRoute(&router)
            })
        defer { server.stop() }
        let waiting = try server.rawClient()
        try waiting.send("GET /slow/9 HTTP/1.1\r\nHost: t\r\n\r\n")
        let started = DispatchTime.now()
        let quick = try server.exchange("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        let quickMilliseconds = (DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000
        #expect(quick.response.status == 200)
        #expect(quickMilliseconds < 250)
        let slow = try waiting.readResponse()
        #expect(slow.bodyText == "slow 9")
    }
}
