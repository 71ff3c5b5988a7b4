import SLOWatchSync
import Testing

@testable import SLOWatchCore

/// Restoring a bus from an earlier process, and the journal that keeps its events.
@Suite struct EventBusRestoreTests {
    /// Keeps what the bus hands it, in order.
    final class RecordingJournal: EventJournal {
        let events = PThreadLock<[Event]>([])
        func record(_ event: Event) { events.withLock { $0.append(event) } }
    }

    private func events(_ sequences: ClosedRange<UInt64>) -> [Event] {
        sequences.map {
            Event(id: "evt_\($0)", topic: "t", sequence: $0, timestamp: Double($0), payload: [:])
        }
    }

    @Test func restoredHistoryIsReplayedAndSequencesContinueAfterIt() throws {
        let bus = EventBus(configuration: .init(historyCapacity: 3), logger: .silent)
        #expect(bus.restore(events: events(1...5), lastSequence: 5))
        #expect(bus.lastSequence == 5)
        #expect(bus.history().map(\.sequence) == [3, 4, 5], "only the newest historyCapacity are kept")
        #expect(bus.history(after: 3).map(\.id) == ["evt_4", "evt_5"])
        #expect(try bus.publish(topic: "t", payload: [:]).sequence == 6)
        #expect(bus.history(after: 4).map(\.sequence) == [5, 6], "no gap between restored and new events")
    }

    @Test func aGapOrMissingTailKeepsEverySurvivingEventAndTheCounter() {
        let gap = EventBus(logger: .silent)
        #expect(!gap.restore(events: events(1...2) + events(4...5), lastSequence: 5))
        #expect(gap.lastSequence == 5)
        #expect(gap.history().map(\.sequence) == [1, 2, 4, 5])
        #expect(gap.history(after: 2).map(\.sequence) == [4, 5], "a search, not an index, over the hole")
        let lost = EventBus(logger: .silent)
        #expect(!lost.restore(events: events(1...3), lastSequence: 9), "events 4...9 may be lost")
        #expect(lost.lastSequence == 9)
        #expect(lost.history().map(\.sequence) == [1, 2, 3])
        let ahead = EventBus(logger: .silent)
        #expect(ahead.restore(events: events(1...4), lastSequence: 2))
        #expect(ahead.lastSequence == 4, "raised to the newest event")
    }

    @Test func aResumeFromAnIdInAHoleOrBelowALossIsToldEventsWereMissed() throws {
        let holes = EventBus(logger: .silent)
        holes.restore(events: events(1...2) + events(6...7), lastSequence: 1024)
        #expect(try holes.stream(after: 4).missed > 0, "id 5 of the hole 3...5 may have been lost")
        #expect(try holes.stream(after: 5).missed == 0, "a client that saw 5 gets 6 next")
        #expect(
            try holes.stream(after: 2).missed == 0, "a client that saw 2 gets 6, 7: nothing it saw is lost")
        #expect(
            try holes.stream(after: 7).missed == 0, "the newest event: ids after it were reserved, not used")
        #expect(
            try holes.stream(after: 100).missed > 0, "an id in the reserved range was handed out and lost")
        #expect(try holes.publish(topic: "t", payload: [:]).sequence == 1025)
        let lost = EventBus(logger: .silent)
        lost.restore(events: events(1...16), lastSequence: 39, lostThrough: 39)
        #expect(try lost.stream(after: 10).missed > 0, "events 17...39 were lost after 10")
        #expect(try lost.stream(after: 10).replay.map(\.sequence) == Array(11...16), "what survived follows")
        #expect(try lost.stream(after: 39).missed == 0)
        let none = EventBus(logger: .silent)
        none.restore(events: [], lastSequence: 39, lostThrough: 39)
        #expect(try none.stream(after: 10).missed > 0)
        #expect(try none.stream(after: 10).replay.isEmpty)
    }

    @Test func aHoleOlderThanTheHistoryIsJudgedByEvictionOnly() throws {
        let bus = EventBus(configuration: .init(historyCapacity: 2), logger: .silent)
        bus.restore(events: events(1...2) + events(9...9), lastSequence: 9)
        #expect(bus.history().map(\.sequence) == [2, 9])
        #expect(try bus.stream(after: 1).missed == 0)
        #expect(try bus.stream(after: 0).missed == 1, "event 1 was dropped to fit the history")
        try bus.publish(topic: "t", payload: [:])
        try bus.publish(topic: "t", payload: [:])
        #expect(bus.history().map(\.sequence) == [10, 11])
        #expect(try bus.stream(after: 9).missed == 0)
        #expect(try bus.stream(after: 5).missed > 0)
    }

    @Test func restoringAfterAPublishChangesNothing() throws {
        let bus = EventBus(logger: .silent)
        try bus.publish(topic: "t", payload: [:])
        #expect(!bus.restore(events: events(1...9), lastSequence: 9))
        #expect(bus.lastSequence == 1)
        #expect(bus.history().map(\.id) != ["evt_1"])
    }

    @Test func theJournalGetsEveryPublishedEventInSequenceOrderButNotRestoredOnes() throws {
        let journal = RecordingJournal()
        let bus = EventBus(configuration: .init(journal: journal), logger: .silent)
        bus.restore(events: events(1...2), lastSequence: 2)
        try bus.publish(topic: "a", payload: ["k": 1])
        try bus.publish(topic: "b", payload: [:])
        let kept = journal.events.withLock { $0 }
        #expect(kept.map(\.sequence) == [3, 4])
        #expect(kept == bus.history(after: 2))
    }
}
