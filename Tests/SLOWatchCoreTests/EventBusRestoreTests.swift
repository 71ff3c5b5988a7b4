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

    @Test func aGapOrMissingTailRestoresTheCounterButNoHistory() {
        let gap = EventBus(logger: .silent)
        #expect(!gap.restore(events: events(1...2) + events(4...5), lastSequence: 5))
        #expect(gap.lastSequence == 5)
        #expect(gap.history().isEmpty)
        let lost = EventBus(logger: .silent)
        #expect(!lost.restore(events: events(1...3), lastSequence: 9), "events 4...9 are lost")
        #expect(lost.lastSequence == 9)
        #expect(lost.history().isEmpty)
        let ahead = EventBus(logger: .silent)
        #expect(ahead.restore(events: events(1...4), lastSequence: 2))
        #expect(ahead.lastSequence == 4, "raised to the newest event")
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
