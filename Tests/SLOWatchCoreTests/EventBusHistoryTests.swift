import Dispatch
import Testing

@testable import SLOWatchCore

@Suite struct EventBusHistoryTests {
    @Test func historyAnswersEventsAfterASequenceByTopic() throws {
        let bus = EventBus(logger: .silent)
        #expect(bus.oldestSequence == nil)
        for index in 1...5 { try bus.publish(topic: index.isMultiple(of: 2) ? "even" : "odd", payload: [:]) }
        #expect(bus.history(after: 2).map(\.sequence) == [3, 4, 5])
        #expect(bus.history().map(\.sequence) == [1, 2, 3, 4, 5])
        #expect(bus.history(after: 5).isEmpty)
        #expect(bus.history(after: 99).isEmpty)
        #expect(bus.history(after: 0, topics: ["even"]).map(\.sequence) == [2, 4])
        #expect(bus.oldestSequence == 1)
    }

    @Test func aLimitedFilteredHistoryReturnsTheOldestMatchesAndStopsScanningAtTheLimit() throws {
        let bus = EventBus(configuration: .init(historyCapacity: 4), logger: .silent)
        for index in 1...10 {
            try bus.publish(
                topic: index.isMultiple(of: 3) ? "other" : "t", payload: ["n": .integer(Int64(index))])
        }
        // Held: 7 8 9 10; 9 is "other".
        let odd: (Event) -> Bool = {
            $0.payload.fields["n"].map { $0 != .integer(8) && $0 != .integer(10) } ?? false
        }
        #expect(
            bus.history(after: 0, topics: ["t"], limit: 10, where: { _ in true }).map(\.sequence) == [
                7, 8, 10,
            ])
        #expect(
            bus.history(after: 0, topics: ["t"], limit: 2, where: { _ in true }).map(\.sequence) == [7, 8])
        #expect(bus.history(after: 7, topics: nil, limit: 2, where: { _ in true }).map(\.sequence) == [8, 9])
        #expect(bus.history(after: 0, topics: ["t"], limit: 5, where: odd).map(\.sequence) == [7])
        #expect(bus.history(after: 0, topics: nil, limit: 0, where: { _ in true }).isEmpty)
        var looked = 0
        _ = bus.history(after: 0, topics: nil, limit: 1) { _ in
            looked += 1
            return true
        }
        #expect(looked == 1)
    }

    @Test func historyKeepsOnlyTheNewestEventsUpToItsCapacity() throws {
        let bus = EventBus(configuration: .init(historyCapacity: 3), logger: .silent)
        for _ in 1...7 { try bus.publish(topic: "t", payload: [:]) }
        #expect(bus.historyCapacity == 3)
        #expect(bus.oldestSequence == 5)
        #expect(bus.history().map(\.sequence) == [5, 6, 7])
        #expect(bus.history(after: 1).map(\.sequence) == [5, 6, 7])
        #expect(bus.history(after: 5).map(\.sequence) == [6, 7])
        #expect(EventBus().historyCapacity == 1000)
    }

    @Test func streamReplaysThenContinuesLiveWithNoGapAndNoDuplicate() async throws {
        let bus = EventBus(configuration: .init(historyCapacity: 5000), logger: .silent)
        let total = 2000
        let publisher = Task.detached {
            for _ in 0..<total { _ = try? bus.publish(topic: "t", payload: [:]) }
        }
        while bus.lastSequence < 300 { await Task.yield() }
        let (replay, missed, stream) = try bus.stream(after: 0, queueCapacity: total)
        #expect(missed == 0)
        var sequences = replay.map(\.sequence)
        if sequences.count < total {
            for await event in stream.events {
                sequences.append(event.sequence)
                if event.sequence == UInt64(total) { break }
            }
        }
        await publisher.value
        #expect(replay.count >= 300)
        #expect(sequences == Array(1...UInt64(total)))
    }

    @Test func handlerSubscriptionAfterASequenceReplaysThenGoesLive() async throws {
        let bus = EventBus(logger: .silent)
        for _ in 1...5 { try bus.publish(topic: "t", payload: [:]) }
        let received = SLOTestCollector<UInt64>()
        try bus.subscribe(after: 3) { received.append($0.sequence) }
        try bus.publish(topic: "t", payload: [:])
        #expect(await sloWaitUntil { received.count == 3 })
        #expect(received.values == [4, 5, 6])
    }

    @Test func streamReportsHowManyEventsLeftTheHistory() throws {
        let bus = EventBus(configuration: .init(historyCapacity: 2), logger: .silent)
        for _ in 1...6 { try bus.publish(topic: "t", payload: [:]) }
        let (replay, missed, stream) = try bus.stream(after: 1)
        #expect(replay.map(\.sequence) == [5, 6])
        #expect(missed == 3)
        stream.cancel()
        #expect(bus.subscriberCount == 0)
        let fresh = try bus.stream(after: 6)
        #expect(fresh.replay.isEmpty && fresh.missed == 0)
    }

    @Test func anUnreadStreamThatOverflowsIsDroppedAndFinishes() async throws {
        let bus = EventBus(logger: .silent)
        let (_, _, stream) = try bus.stream(queueCapacity: 2)
        for _ in 1...5 { try bus.publish(topic: "t", payload: [:]) }
        #expect(bus.droppedSubscribers == 1)
        #expect(bus.subscriberCount == 0)
        #expect(stream.dropReason == .queueOverflow(capacity: 2))
        var sequences: [UInt64] = []
        for await event in stream.events { sequences.append(event.sequence) }
        #expect(sequences == [1, 2])
    }

    @Test func invalidSubscriptionSettingsAreTypedErrors() {
        let bus = EventBus(logger: .silent)
        #expect(throws: EventError.invalidQueueCapacity(0)) { try bus.subscribe(queueCapacity: 0) { _ in } }
        #expect(throws: EventError.invalidTopic("Bad")) { try bus.stream(topics: ["Bad"]) }
        #expect(bus.subscriberCount == 0)
    }
}
