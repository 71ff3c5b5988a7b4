import SLOWatchHTTP
import TestCurlClient
import Testing

@Suite("Response observer")
struct ResponseObserverTests {
    @Test("onResponse sees handler answers, router errors and parser errors, with method and target")
    func seesEveryResponse() throws {
        let records = Locked<[HTTPResponseRecord]>([])
        let server = try TestServer { configuration in
            configuration.onResponse = { record in records.withLock { $0.append(record) } }
        }
        defer { server.stop() }
        let client = try CurlClient()
        #expect(try client.get(server.url("/hello")).status == 200)
        #expect(try client.get(server.url("/nowhere?x=1")).status == 404)
        #expect(try client.request(method: "DELETE", url: server.url("/items")).status == 405)
        let raw = try server.rawClient()
        try raw.send("GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
        _ = try raw.readResponse()

        let seen = records.withLock { $0 }
        #expect(seen.count == 4)
        guard seen.count == 4 else { return }
        #expect(seen[0].method == .get && seen[0].target == "/hello" && seen[0].status == 200)
        #expect(seen[1].method == .get && seen[1].target == "/nowhere?x=1" && seen[1].status == 404)
        #expect(seen[2].method == .delete && seen[2].status == 405)
        #expect(seen[3].method == nil && seen[3].target == nil && seen[3].status == 400)
    }
}
