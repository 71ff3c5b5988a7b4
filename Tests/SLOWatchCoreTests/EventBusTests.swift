import Dispatch
import SLOWatchCoreTesting
import Testing

@testable import SLOWatchCore

@Suite struct EventBusTests {
    private func makeBus(
        history: Int = 1000, clock: ManualClock = ManualClock(), log: SLOTestLog = SLOTestLog()
    ) -> EventBus {
        EventBus(configuration: .init(historyCapacity: history), wallClock: clock, logger: log.logger)
    }

    @Test func envelopeCarriesIDTopicSequenceFromOneTimestampAndPayload() throws {
        let clock = ManualClock()
        let bus = makeBus(clock: clock)
        var ids: [String] = []
        for index in 1...3 {
            let event = try bus.publish(topic: "perf.slo_violation", payload: ["n": .integer(Int64(index))])
            #expect(event.sequence == UInt64(index))
            #expect(event.topic == "perf.slo_violation")
            #expect(event.timestamp == clock.nowMilliseconds())
            #expect(event.payload == ["n": .integer(Int64(index))])
            #expect(event.id.hasPrefix("evt_"))
            #expect(event.id.count == 4 + 26)
            ids.append(event.id)
            clock.advance(by: .milliseconds(index == 2 ? 0 : 5))
        }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == 3)
        #expect(bus.lastSequence == 3)
        #expect(bus.published == 3)
    }

    @Test func aTopicThatIsNotDottedLowercaseIsATypedErrorAndCounted() {
        let log = SLOTestLog()
        let bus = makeBus(log: log)
        let bad = ["", "Perf.x", "perf..x", "perf.", ".perf", "1perf", "perf.9x", "perf-x", "perf x", "_a"]
        for topic in bad {
            #expect(throws: EventError.invalidTopic(topic)) { try bus.publish(topic: topic, payload: [:]) }
        }
        for topic in ["a", "perf.slo_violation", "a1_b.c_2.d"] { #expect(Event.isValidTopic(topic)) }
        #expect(bus.publishFailures == UInt64(bad.count))
        #expect(bus.published == 0)
        #expect(bus.lastSequence == 0)
        #expect(log.messages(atLeast: .error).count == bad.count)
    }

    @Test func aSubscriberGetsOnlyItsTopicsAndAnAllTopicsSubscriberGetsEverything() async throws {
        let bus = makeBus()
        let violations = SLOTestCollector<String>()
        let everything = SLOTestCollector<String>()
        try bus.subscribe(topics: ["perf.slo_violation"]) { violations.append($0.topic) }
        try bus.subscribe { everything.append($0.topic) }
        for topic in ["perf.slo_violation", "perf.slo_recovered", "perf.mark", "perf.slo_violation"] {
            try bus.publish(topic: topic, payload: [:])
        }
        #expect(await sloWaitUntil { everything.count == 4 && violations.count == 2 })
        #expect(violations.values == ["perf.slo_violation", "perf.slo_violation"])
        #expect(
            everything.values == [
                "perf.slo_violation", "perf.slo_recovered", "perf.mark", "perf.slo_violation",
            ])
    }

    @Test func eachSubscriberReceivesEventsInSequenceOrder() async throws {
        let bus = makeBus(history: 10)
        let first = SLOTestCollector<UInt64>()
        let second = SLOTestCollector<UInt64>()
        try bus.subscribe(queueCapacity: 5000) { first.append($0.sequence) }
        try bus.subscribe(queueCapacity: 5000) { second.append($0.sequence) }
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<250 { _ = try? bus.publish(topic: "t", payload: [:]) }
        }
        #expect(await sloWaitUntil { first.count == 1000 && second.count == 1000 })
        #expect(first.values == Array(1...1000))
        #expect(second.values == Array(1...1000))
    }

    @Test func aBlockedSubscriberDelaysNeitherPublishNorOtherSubscribers() async throws {
        let bus = makeBus()
        let gate = DispatchSemaphore(value: 0)
        let slow = SLOTestCollector<UInt64>()
        let fast = SLOTestCollector<UInt64>()
        try bus.subscribe { event in
            gate.wait()
            slow.append(event.sequence)
        }
        try bus.subscribe { fast.append($0.sequence) }
        let start = ContinuousClock.now
        for _ in 0..<500 { try bus.publish(topic: "t", payload: [:]) }
        let publishTime = ContinuousClock.now - start
        #expect(publishTime < .seconds(1))
        #expect(await sloWaitUntil { fast.count == 500 })
        #expect(slow.count == 0)
        #expect(bus.subscriberCount == 2)
        for _ in 0..<500 { gate.signal() }
        #expect(await sloWaitUntil { slow.count == 500 })
        #expect(slow.values == Array(1...500))
    }

    @Test func anOverflowingQueueDropsTheSubscriberAndTellsItWhy() async throws {
        let bus = makeBus()
        let gate = DispatchSemaphore(value: 0)
        let delivered = SLOTestCollector<UInt64>()
        let reasons = SLOTestCollector<SubscriptionDropReason>()
        let survivor = SLOTestCollector<UInt64>()
        try bus.subscribe(
            queueCapacity: 10,
            handler: { event in
                gate.wait()
                delivered.append(event.sequence)
            },
            onDrop: { reasons.append($0) })
        try bus.subscribe { survivor.append($0.sequence) }
        for _ in 0..<30 { try bus.publish(topic: "t", payload: [:]) }
        #expect(bus.droppedSubscribers == 1)
        #expect(bus.subscriberCount == 1)
        gate.signal()
        #expect(await sloWaitUntil { reasons.count == 1 })
        #expect(reasons.values == [.queueOverflow(capacity: 10)])
        // At most the event already being handled completes; the queued ones are discarded.
        #expect(delivered.values.count <= 1)
        #expect(delivered.values.allSatisfy { $0 == 1 })
        #expect(await sloWaitUntil { survivor.count == 30 })
    }

    @Test func aThrowingHandlerIsLoggedCountedAndKept() async throws {
        struct Boom: Error {}
        let log = SLOTestLog()
        let bus = makeBus(log: log)
        let attempts = SLOTestCollector<UInt64>()
        let other = SLOTestCollector<UInt64>()
        try bus.subscribe { event in
            attempts.append(event.sequence)
            throw Boom()
        }
        try bus.subscribe { other.append($0.sequence) }
        for _ in 0..<3 { try bus.publish(topic: "t", payload: [:]) }
        #expect(await sloWaitUntil { bus.handlerFailures == 3 && other.count == 3 })
        #expect(attempts.values == [1, 2, 3])
        #expect(bus.subscriberCount == 2)
        #expect(log.messages(atLeast: .error).filter { $0.contains("failed on event") }.count == 3)
    }

    @Test func cancellingStopsDeliveryAndRemovesTheSubscriber() async throws {
        let bus = makeBus()
        let received = SLOTestCollector<UInt64>()
        let subscription = try bus.subscribe { received.append($0.sequence) }
        try bus.publish(topic: "t", payload: [:])
        #expect(await sloWaitUntil { received.count == 1 })
        subscription.cancel()
        #expect(bus.subscriberCount == 0)
        try bus.publish(topic: "t", payload: [:])
        let other = try bus.subscribe { _ in }
        bus.unsubscribe(other)
        #expect(bus.subscriberCount == 0)
        #expect(received.values == [1])
    }

    @Test func cancellingDuringDeliveryLetsTheRunningHandlerFinishAndDiscardsTheQueue() async throws {
        let bus = makeBus()
        let gate = DispatchSemaphore(value: 0)
        let started = SLOTestCollector<UInt64>()
        let finished = SLOTestCollector<UInt64>()
        let drops = SLOTestCollector<SubscriptionDropReason>()
        let subscription = try bus.subscribe(
            handler: { event in
                started.append(event.sequence)
                gate.wait()
                finished.append(event.sequence)
            },
            onDrop: { drops.append($0) })
        for _ in 0..<5 { try bus.publish(topic: "t", payload: [:]) }
        #expect(await sloWaitUntil { started.count == 1 })
        subscription.cancel()  // while event 1 is being handled and 2…5 are queued
        #expect(bus.subscriberCount == 0)
        try bus.publish(topic: "t", payload: [:])
        gate.signal()
        #expect(await sloWaitUntil { finished.count == 1 })
        // Give a wrongly continuing drain every chance to show itself before looking.
        for _ in 0..<4 { gate.signal() }
        try await Task.sleep(for: .milliseconds(50))
        #expect(started.values == [1])
        #expect(finished.values == [1])
        #expect(drops.count == 0)  // a cancellation is not a drop
    }

    @Test func anEventWithNoSubscriberGoesToTheConsoleFallback() throws {
        let log = SLOTestLog()
        let bus = makeBus(log: log)
        try bus.subscribe(topics: ["other"]) { _ in }
        try bus.publish(topic: "perf.slo_violation", payload: ["slo": "fps-p50"])
        let lines = log.messages(atLeast: .warning)
        #expect(lines.count == 1)
        #expect(lines.first?.contains("perf.slo_violation") == true)
        #expect(lines.first?.contains("slo=fps-p50") == true)
    }
}
