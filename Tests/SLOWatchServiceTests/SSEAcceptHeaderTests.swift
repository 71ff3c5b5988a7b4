import SLOWatchHTTP
import Testing

@testable import SLOWatchService

@Suite("SSE Accept negotiation")
struct SSEAcceptHeaderTests {
    private func lists(_ values: String...) -> Bool {
        var headers = HTTPHeaders()
        for value in values { headers.add(name: "Accept", value: value) }
        return AcceptHeader.lists("text/event-stream", in: headers)
    }

    @Test("text/event-stream named with a weight above zero selects the stream")
    func listed() {
        #expect(lists("text/event-stream"))
        #expect(lists("Text/Event-Stream"))
        #expect(lists("application/json, text/event-stream"))
        #expect(lists("application/json;q=0.9 , text/event-stream ; charset=utf-8 ; q=0.001"))
        #expect(lists("application/json", "text/event-stream"))
        #expect(lists("text/event-stream;Q=1"))
    }

    @Test("no Accept, wildcards, q=0 and a malformed q do not")
    func notListed() {
        #expect(!lists())
        #expect(!lists("*/*"))
        #expect(!lists("text/*"))
        #expect(!lists("application/json"))
        #expect(!lists("text/event-stream;q=0"))
        #expect(!lists("text/event-stream;q=0.000"))
        #expect(!lists("text/event-stream;q=2"))
        #expect(!lists("text/event-stream;q=nan"))
        #expect(!lists("text/event-streams"))
        #expect(!lists("text/event-stream-x, application/json"))
    }
}
