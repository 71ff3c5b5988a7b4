import Dispatch
import Glibc
import SLOWatchHTTP
import Testing

/// ``HTTPResponder/Batch``: answers collected on one thread reach every connection, on every loop, each
/// with its own answer, and a responder already answered is skipped.
@Suite struct DeferredBatchTests {
    /// The responders of `/park/:id` requests, waiting to be answered together.
    private final class Parked: Sendable {
        let waiting = Locked<[(id: String, responder: HTTPResponder)]>([])

        /// Waits (up to 3 s) until `count` requests are parked; returns them.
        func await(_ count: Int) -> [(id: String, responder: HTTPResponder)] {
            for _ in 0..<300 {
                let parked = waiting.withLock { $0 }
                if parked.count >= count { return parked }
                usleep(10_000)
            }
            return waiting.withLock { $0 }
        }
    }

    private static func server(_ parked: Parked, ioThreads: Int) throws -> TestServer {
        try TestServer(
            configure: { $0.ioThreads = ioThreads },
            routes: { router in
                TestServer.standardRoutes(&router)
                router.addDeferred(.get, "/park/:id") { request, responder in
                    let id = request.pathParameters["id"] ?? ""
                    parked.waiting.withLock { $0.append((id, responder)) }
                }
            })
    }

    @Test func oneBatchAnswersEveryConnectionOfEveryLoopWithItsOwnAnswer() throws {
        let parked = Parked()
        let server = try Self.server(parked, ioThreads: 2)
        defer { server.stop() }
        let clients = try (0..<6).map { _ in try server.rawClient() }
        for (index, client) in clients.enumerated() {
            try client.send("GET /park/\(index) HTTP/1.1\r\nHost: t\r\n\r\n")
        }
        let waiting = parked.await(clients.count)
        #expect(waiting.count == clients.count)
        DispatchQueue.global().sync {
            var batch = HTTPResponder.Batch()
            for (id, responder) in waiting {
                batch.append(responder, HTTPResponse(status: 200, body: Array("answer \(id)".utf8)))
            }
            batch.send()
        }
        for (index, client) in clients.enumerated() {
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == "answer \(index)")
        }
        // Each connection goes on serving after its batched answer.
        try clients[0].send("GET /id/7 HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try clients[0].readResponse().bodyText == "7")
    }

    @Test func aResponderAnsweredBeforeIsSkippedByTheBatch() throws {
        let parked = Parked()
        let server = try Self.server(parked, ioThreads: 1)
        defer { server.stop() }
        let client = try server.rawClient()
        try client.send("GET /park/1 HTTP/1.1\r\nHost: t\r\n\r\n" + "GET /id/2 HTTP/1.1\r\nHost: t\r\n\r\n")
        let waiting = parked.await(1)
        #expect(waiting.count == 1)
        if let first = waiting.first {
            first.responder.respond(HTTPResponse(status: 201, body: Array("direct".utf8)))
            var batch = HTTPResponder.Batch()
            batch.append(first.responder, HTTPResponse(status: 500))
            batch.send()
        }
        let answers = try (0..<2).map { _ in try client.readResponse() }
        #expect(answers.map(\.status) == [201, 200])
        #expect(answers.map(\.bodyText) == ["direct", "2"])
    }

    @Test func theIterationHookRunsOnTheLoopThatCalledTheRouteWithItsIndex() throws {
        let parked = Parked()
        let hookCalls = Locked<[Int]>([])
        let server = try TestServer(
            configure: { $0.ioThreads = 2 },
            routes: { router in
                TestServer.standardRoutes(&router)
                router.addDeferred(.get, "/park/:id") { request, responder in
                    parked.waiting.withLock { $0.append((request.pathParameters["id"] ?? "", responder)) }
                }
                // Answers, at the end of each loop iteration, what that loop parked in it.
                router.afterDeferredRequests = { loop in
                    hookCalls.withLock { $0.append(loop) }
                    let mine = parked.waiting.withLock { waiting in
                        let mine = waiting.filter { $0.responder.loopIndex == loop }
                        waiting.removeAll { $0.responder.loopIndex == loop }
                        return mine
                    }
                    var batch = HTTPResponder.Batch()
                    for (id, responder) in mine {
                        batch.append(
                            responder, HTTPResponse(status: 200, body: Array("loop \(loop) \(id)".utf8)))
                    }
                    batch.send()
                }
            })
        defer { server.stop() }
        let clients = try (0..<4).map { _ in try server.rawClient() }
        for (index, client) in clients.enumerated() {
            try client.send("GET /park/\(index) HTTP/1.1\r\nHost: t\r\n\r\n")
        }
        for (index, client) in clients.enumerated() {
            let response = try client.readResponse()
            #expect(response.status == 200)
            let words = response.bodyText.split(separator: " ")
            #expect(words.count == 3 && words[2] == "\(index)")
            #expect(words.count == 3 && ["0", "1"].contains(words[1]), "loop index \(response.bodyText)")
        }
        #expect(hookCalls.withLock { $0.allSatisfy { (0..<2).contains($0) } })
        // A plain route does not call the hook.
        let before = hookCalls.withLock { $0.count }
        try clients[0].send("GET /id/5 HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try clients[0].readResponse().bodyText == "5")
        #expect(hookCalls.withLock { $0.count } == before)
    }

    @Test func theInProcessHarnessGetsABatchedAnswerAtOnce() {
        let delivered = Locked<[Int]>([])
        let responder = HTTPResponder { response in
            delivered.withLock { $0.append(response.status) }
        }
        #expect(responder.loopIndex == nil)
        var batch = HTTPResponder.Batch()
        batch.append(responder, HTTPResponse(status: 204))
        #expect(delivered.withLock { $0 } == [204])
        batch.send()
        #expect(delivered.withLock { $0 } == [204])
    }
}
