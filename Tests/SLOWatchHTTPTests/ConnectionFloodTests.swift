import Foundation
import Glibc
import SLOWatchHTTP
import TestRawClient
import Testing

/// `maxConnections` under a flood: `cap + 100` connections. The extra ones get 503 and are closed, the
/// ones within the cap keep working, and once every client has gone the server holds no socket but its
/// listener (counted in `/proc/self/fd`).
@Suite(.serialized) struct ConnectionFloodTests {
    @Test func capPlusOneHundredConnectionsGet503ForTheExtraAndLeakNoDescriptor() throws {
        let cap = 200
        let server = try TestServer(configure: { $0.maxConnections = cap })
        defer { server.stop() }
        let baseline = ServerSocketCount.open(port: server.port)
        #expect(baseline == 1, "before any client, the server holds only its listening socket")

        var admitted: [RawClient] = []
        for index in 0..<cap {
            let client = try server.rawClient()
            try client.send("GET /id/\(index) HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse().bodyText == "\(index)")
            admitted.append(client)
        }
        #expect(server.server.openConnections == cap)

        var refusals: [String] = []
        var extras: [RawClient] = []
        for _ in 0..<100 {
            let extra = try server.rawClient()
            try extra.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try extra.readResponse()
            if response.status != 503 || response.header("Retry-After") != "1"
                || !(response.errorMessage ?? "").contains("limit of \(cap) open connections")
            {
                refusals.append("\(response.status) \(response.bodyText)")
            }
            if !extra.closesWithoutMoreBytes() { refusals.append("an extra connection stayed open") }
            extras.append(extra)
        }
        #expect(refusals.isEmpty, "\(refusals.count) wrong refusals: \(refusals.prefix(3))")

        for (index, client) in admitted.enumerated() {
            try client.send("GET /id/again\(index) HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse().bodyText == "again\(index)")
        }
        #expect(server.server.openConnections == cap, "the refused connections never counted")

        for client in admitted + extras { client.close() }
        let settled = ServerSocketCount.settle(port: server.port, to: baseline)
        #expect(settled == baseline, "the server still holds \(settled - baseline) client sockets")
        // The loop gives a connection's slot back after it closes the socket, so a read right after the
        // sockets are gone can come first under load (seen under ThreadSanitizer): allow it a moment.
        let deadline = ContinuousClock.now + .seconds(5)
        while server.server.openConnections != 0 && ContinuousClock.now < deadline {
            usleep(10_000)
        }
        #expect(server.server.openConnections == 0)
        // The freed slots admit new clients again.
        let after = try server.exchange("GET /id/after HTTP/1.1\r\nHost: t\r\n\r\n").response
        #expect(after.bodyText == "after")
    }
}
