import Foundation
import SLOWatchCore
import SLOWatchCoreTesting
import TestCurlClient
import Testing

@testable import SLOWatchService

/// A resume that cannot be served whole says so in a form clients see (issue 19, item 4): the JSON page
/// carries `"truncated":{"requestedAfter","oldestAvailable"}`, the stream an `event: stream.truncated`
/// (besides the `: history truncated` comment that no SSE client exposes).
@Suite("Truncated resumes: the JSON page's truncated field and the stream.truncated event")
struct StreamTruncationTests {
    /// An in-process service keeping 3 events, with `count` violations published (sequences 1…count;
    /// the odd ones of metric `a`, the even ones of `b`).
    static func pageService(events count: Int) throws -> InProcessService {
        let service = try InProcessService(wallClock: ManualClock()) { $0.historyCapacity = 3 }
        for index in 0..<count {
            try TestEvents.publish(
                .violation, metric: index.isMultiple(of: 2) ? "a" : "b", on: service.service.bus)
        }
        return service
    }

    /// The sequences and the `truncated` member of a page.
    static func page(_ service: InProcessService, _ query: String) throws -> (
        sequences: [Int], truncated: Any?
    ) {
        let response = try service.client.get(service.url("/slo/violations" + query))
        #expect(response.status == 200, "\(query): \(response.bodyText)")
        let json = try response.json()
        let sequences = (json["violations"] as? [[String: Any]] ?? []).map { ($0["sequence"] as? Int) ?? -1 }
        return (sequences, json["truncated"])
    }

    @Test("after=2 with events 1-7 gone: the page ends with truncated {requestedAfter:2, oldestAvailable:8}")
    func pageAfterLostEvents() throws {
        let service = try Self.pageService(events: 10)
        let response = try service.client.get(service.url("/slo/violations?after=2"))
        #expect(response.bodyText.hasSuffix(#"}}],"truncated":{"requestedAfter":2,"oldestAvailable":8}}"#))
        let (sequences, truncated) = try Self.page(service, "?after=2")
        #expect(sequences == [8, 9, 10])
        let fields = truncated as? [String: Any]
        #expect(fields?["requestedAfter"] as? Int == 2 && fields?["oldestAvailable"] as? Int == 8)
    }

    @Test(
        "whole pages have no truncated member: no after, after=7 (the last one gone), after=10 (the newest)",
        arguments: ["", "?after=7", "?after=10", "?limit=1", "?after=8&metric=a"])
    func wholePages(query: String) throws {
        let service = try Self.pageService(events: 10)
        let response = try service.client.get(service.url("/slo/violations" + query))
        #expect(response.status == 200)
        #expect(!response.bodyText.contains("truncated"), "\(query): \(response.bodyText)")
    }

    @Test(
        "truncation ignores the filters and the limit (a lost event might have matched), and after=0 counts",
        arguments: [
            ("?after=0", [8, 9, 10], 0), ("?after=3&metric=a", [9], 3), ("?after=5&limit=1", [8], 5),
            ("?after=6&slo=b-p95", [8, 10], 6),
        ])
    func filteredPages(query: String, sequences expected: [Int], requested: Int) throws {
        let service = try Self.pageService(events: 10)
        let (sequences, truncated) = try Self.page(service, query)
        #expect(sequences == expected, "\(query)")
        let fields = truncated as? [String: Any]
        #expect(fields?["requestedAfter"] as? Int == requested, "\(query)")
        #expect(fields?["oldestAvailable"] as? Int == 8, "\(query)")
    }

    @Test("an after beyond every id handed out (from before a restart) is truncated: oldestAvailable is #1")
    func pageFromBeforeRestart() throws {
        let service = try Self.pageService(events: 2)
        let (sequences, truncated) = try Self.page(service, "?after=99")
        #expect(sequences.isEmpty, "the page still lists only events after 99")
        let fields = truncated as? [String: Any]
        #expect(fields?["requestedAfter"] as? Int == 99 && fields?["oldestAvailable"] as? Int == 1)
        let empty = try Self.pageService(events: 0)
        let (_, none) = try Self.page(empty, "?after=0")
        #expect(none == nil, "nothing was ever published, nothing is missing")
    }

    @Test("the notice's arithmetic: whole is nil, a gap names the first id kept, sums saturate at 2^63-1")
    func noticeArithmetic() {
        #expect(StreamTruncation(requestedAfter: 5, countedFrom: 5, missed: 0) == nil)
        let gap = StreamTruncation(requestedAfter: 5, countedFrom: 5, missed: 3)
        #expect(gap?.oldestAvailable == 9)
        #expect(StreamTruncation(requestedAfter: 500, countedFrom: 0, missed: 0)?.oldestAvailable == 1)
        // Saturating at the wire's largest sequence, whether the sum passes it or overflows 64 bits.
        let ceiling = ViolationQuery.maximumSequence
        #expect(
            StreamTruncation(requestedAfter: ceiling - 1, countedFrom: ceiling - 1, missed: 5)?
                .oldestAvailable
                == ceiling)
        #expect(
            StreamTruncation(requestedAfter: .max - 1, countedFrom: .max - 1, missed: 5)?.oldestAvailable
                == ceiling)
        #expect(
            StreamTruncation(requestedAfter: ceiling - 3, countedFrom: ceiling - 3, missed: 1)?
                .oldestAvailable
                == ceiling - 1)
        #expect(
            gap.map { String(decoding: $0.frame, as: UTF8.self) }
                == ": history truncated\n\nevent: stream.truncated\ndata: {\"requestedAfter\":5,\"oldestAvailable\":9}\n\n"
        )
    }

    @Test("a stream resumed with ?lastEventId=4 past the history gets the comment, then the event, then #8")
    func streamWithQueryParameter() throws {
        let service = try TestService {
            $0.keepaliveIntervalMilliseconds = 200
            $0.historyCapacity = 3
        }
        defer { service.stop() }
        for _ in 0..<10 { try TestEvents.publish(.violation, metric: "a", on: service.service.bus) }
        let reader = try TestEvents.connect(service, "/slo/violations?lastEventId=4")
        defer { reader.close() }
        #expect(reader.waitForEvents(3))
        #expect(reader.events.map(\.id) == ["8", "9", "10"])
        #expect(
            reader.text.hasPrefix(
                "retry: 2000\n\n: history truncated\n\nevent: stream.truncated\n"
                    + "data: {\"requestedAfter\":4,\"oldestAvailable\":8}\n\nid: 8\n"),
            "\(reader.text)")
        #expect(reader.truncations.count == 1 && reader.truncations.first?.id == nil)
    }
}
