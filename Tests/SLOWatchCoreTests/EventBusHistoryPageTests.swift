import Testing

@testable import SLOWatchCore

/// `EventBus.historyPage`: a page of the history and, read in the same critical section, how many ids
/// after the requested sequence are gone (what `GET /slo/violations?after=` reports as `truncated`).
@Suite struct EventBusHistoryPageTests {
    /// A bus keeping 3 events, with 10 published (8, 9 and 10 held; 1-7 gone).
    static func busWithTenEvents() throws -> EventBus {
        let bus = EventBus(configuration: .init(historyCapacity: 3), logger: .silent)
        for index in 1...10 { try bus.publish(topic: index.isMultiple(of: 2) ? "even" : "odd", payload: [:]) }
        return bus
    }

    @Test func aPageAfterLostEventsCountsThemAsAResumeFromThereWould() throws {
        let bus = try Self.busWithTenEvents()
        let page = bus.historyPage(after: 2, topics: nil, limit: 10, where: { _ in true })
        #expect(page.events.map(\.sequence) == [8, 9, 10])
        #expect(page.countedFrom == 2)
        #expect(page.missed == 5, "3, 4, 5, 6 and 7 are gone")
        #expect(page.missed == bus.resumePoint(after: 2).missed)
    }

    @Test func theTopicsTheFilterAndTheLimitShapeThePageButNotTheMissedCount() throws {
        let bus = try Self.busWithTenEvents()
        let page = bus.historyPage(after: 4, topics: ["even"], limit: 1, where: { _ in true })
        #expect(page.events.map(\.sequence) == [8])
        #expect(page.missed == 3)
        let none = bus.historyPage(after: 4, topics: nil, limit: 10, where: { _ in false })
        #expect(none.events.isEmpty && none.missed == 3)
    }

    @Test func aPageFromTheLastGoneEventOnIsWhole() throws {
        let bus = try Self.busWithTenEvents()
        #expect(bus.historyPage(after: 7, topics: nil, limit: 10, where: { _ in true }).missed == 0)
        #expect(bus.historyPage(after: 10, topics: nil, limit: 10, where: { _ in true }).missed == 0)
    }

    @Test func aSequenceBeyondEveryIdHandedOutIsCountedFromZero() throws {
        let bus = try Self.busWithTenEvents()
        let page = bus.historyPage(after: 99, topics: nil, limit: 10, where: { _ in true })
        #expect(page.events.isEmpty, "the page still lists only events after 99")
        #expect(page.countedFrom == 0)
        #expect(page.missed == 7)
        let fresh = EventBus(logger: .silent)
        let empty = fresh.historyPage(after: .max, topics: nil, limit: 10, where: { _ in true })
        #expect(empty.countedFrom == 0 && empty.missed == 0 && empty.events.isEmpty)
    }
}
