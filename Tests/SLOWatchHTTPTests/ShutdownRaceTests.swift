import Dispatch
import Glibc
import SLOWatchHTTP
import TestRawClient
import Testing

/// `stop()` racing with work on other threads: stream writers that keep writing while the server shuts
/// down, and clients that keep connecting while it stops accepting.
@Suite struct ShutdownRaceTests {
    @Test func streamWritersOnManyThreadsRacingStopAllEndAndLaterWritesAreRefused() throws {
        let writers = Locked<[HTTPStreamWriter]>([])
        let finishedThreads = DispatchSemaphore(value: 0)
        let threadsPerStream = 3
        let streams = 4
        let server = try TestServer(routes: { router in
            router.addStream(.get, "/s", head: { _ in HTTPResponse(status: 200) }) { _, writer in
                writers.withLock { $0.append(writer) }
                for _ in 0..<threadsPerStream {
                    DispatchQueue.global().async {
                        let chunk = [UInt8](repeating: 0x41, count: 512)
                        let deadline = ContinuousClock.now + .seconds(10)
                        while writer.write(chunk) && ContinuousClock.now < deadline { usleep(100) }
                        finishedThreads.signal()
                    }
                }
            }
        })
        var clients: [RawClient] = []
        for _ in 0..<streams {
            let client = try server.rawClient()
            try client.send("GET /s HTTP/1.1\r\nHost: t\r\n\r\n")
            clients.append(client)
        }
        for client in clients { #expect(try client.readResponse(isHead: true).status == 200) }
        // One client goes away on its own while the others are ended by the stop.
        clients[0].close()
        usleep(20_000)
        server.stop()
        for _ in 0..<(threadsPerStream * streams) {
            #expect(finishedThreads.wait(timeout: .now() + 5) == .success)
        }
        for writer in writers.value {
            #expect(!writer.write(Array("late".utf8)))
            #expect(writer.isClosed)
        }
    }

    @Test func stopWhileClientsKeepConnectingReturnsAndClosesThePort() throws {
        let server = try TestServer(configure: { $0.shutdownGrace = .seconds(20) })
        let port = server.port
        let keepGoing = Locked(true)
        let served = Locked(0)
        let connector = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            while keepGoing.value {
                guard let client = try? RawClient(port: port, timeoutMilliseconds: 500) else { continue }
                if (try? client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")) != nil,
                    (try? client.readResponse())?.status == 200
                {
                    served.withLock { $0 += 1 }
                }
            }
            connector.signal()
        }
        while served.value < 20 { usleep(1000) }
        let start = ContinuousClock.now
        server.stop()
        #expect(ContinuousClock.now - start < .seconds(5))
        keepGoing.withLock { $0 = false }
        #expect(connector.wait(timeout: .now() + 5) == .success)
        #expect(!RawClient.canConnect(port: port))
    }
}
